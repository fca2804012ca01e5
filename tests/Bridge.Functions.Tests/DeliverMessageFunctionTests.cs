using System.Text.Json;
using Azure.Storage.Queues;

namespace Bridge.Functions.Tests;

[Collection(FunctionsCollection.Name)]
public sealed class DeliverMessageFunctionTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task Queued_message_is_delivered_over_starttls_with_auth_and_recorded_sent()
    {
        var subject = "deliver-" + Guid.NewGuid();
        var context = fixture.NewContext(FunctionsFixture.SenderKey, Messages.Valid(subject: subject));
        var (_, accepted, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<SendMessageFunction>().Run(context.Request, CancellationToken.None), context);
        var id = accepted.GetProperty("id").GetString()!;

        // What the trigger hands the function: the queue message decoded from base64.
        var queue = new QueueClient(fixture.Azurite.ConnectionString, "outbound-mail",
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var message = (await queue.ReceiveMessagesAsync(32)).Value.Single(m => m.Body.ToString().Contains(id, StringComparison.Ordinal));
        await fixture.Function<DeliverMessageFunction>().Run(message.Body.ToString(), CancellationToken.None);

        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        Assert.Equal("orders@shop.example", mail.From);
        Assert.Equal(["ann@example.org", "bo@example.org"], mail.To);

        var getContext = fixture.NewContext(FunctionsFixture.SenderKey);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<GetMessageFunction>().Run(getContext.Request, id, CancellationToken.None), getContext);
        Assert.Equal(200, status);
        Assert.Equal("sent", body.GetProperty("status").GetString());
        var events = body.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["accepted", "attempt", "sent"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(250, events[2].GetProperty("smtp").GetProperty("code").GetInt32());
        Assert.Equal(1, body.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Malformed_queue_message_throws_so_the_trigger_retries_and_poisons_it() =>
        await Assert.ThrowsAnyAsync<JsonException>(() => fixture.Function<DeliverMessageFunction>().Run("not json", CancellationToken.None));
}
