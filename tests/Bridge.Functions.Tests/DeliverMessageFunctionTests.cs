using System.Text.Json;
using Bridge.Core.Diagnostics;
using Bridge.Core.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

[Collection(FunctionsCollection.Name)]
public sealed class DeliverMessageFunctionTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task Queued_message_is_delivered_over_starttls_with_auth_and_recorded_sent()
    {
        var subject = "deliver-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));

        var message = await fixture.TakeQueuedAsync(id);
        await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);

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
    public async Task Mail_text_of_100_KiB_travels_compressed_in_the_queue_message_without_a_blob_and_arrives_whole()
    {
        var subject = "compressed-" + Guid.NewGuid();
        var request = Messages.Compressible(subject);
        var counts = fixture.Services.GetRequiredService<StorageRequestCounter>().Counts;
        var before = counts.Snapshot();

        var id = await fixture.AcceptAsync(request);

        Assert.Equal(0, Delta(before, counts.Snapshot()).GetValueOrDefault("blob.PUT"));
        var message = await fixture.TakeQueuedAsync(id);
        var envelope = Core.Outbox.OutboxQueue.Deserialize(message);
        Assert.Null(envelope.PayloadBlob);
        Assert.NotNull(envelope.MimeBrotli);
        await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);
        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        var sentText = (string)request.GetType().GetProperty("text")!.GetValue(request)!;
        Assert.Equal(sentText.ReplaceLineEndings(), mail.Parse().TextBody?.TrimEnd().ReplaceLineEndings());
    }

    [Fact]
    public async Task First_attempt_claims_without_reading_the_state_and_writes_twice()
    {
        var subject = "cost-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));
        var message = await fixture.TakeQueuedAsync(id);

        var counts = fixture.Services.GetRequiredService<StorageRequestCounter>().Counts;
        var before = counts.Snapshot();
        await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);
        var spent = Delta(before, counts.Snapshot());

        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        // The sending mark creates the state row with its attempt event, then the outcome replaces it with its
        // sent event: two transactions, and no read of the state row. The message index is told the outcome (one merge).
        // One query asks the suppressions table about the recipients, for all of them at once.
        Assert.Equal(new Dictionary<string, long> { ["table.batch"] = 2, ["table.PATCH"] = 1, ["table.GET"] = 1 }, spent);
        Assert.Equal("sent", (await fixture.Services.GetRequiredService<MessageStore>().GetStateAsync(id, CancellationToken.None))!.Status.ToWire());
    }

    [Fact]
    public async Task A_second_copy_of_the_first_attempt_finds_the_state_row_taken_reads_and_sends_nothing()
    {
        var subject = "copy-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));
        var message = await fixture.TakeQueuedAsync(id);
        await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);
        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));

        var counts = fixture.Services.GetRequiredService<StorageRequestCounter>().Counts;
        var before = counts.Snapshot();
        await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);
        var spent = Delta(before, counts.Snapshot());

        // Creating the state row is refused (409), the state is read, and the copy sees "sent" and stops.
        Assert.Equal(new Dictionary<string, long> { ["table.GET"] = 1, ["table.batch"] = 1 }, spent);
        Assert.Single(fixture.Smtp.Received, m => m.Parse().Subject == subject);
        var timeline = await fixture.Services.GetRequiredService<MessageStore>().GetTimelineAsync(id, CancellationToken.None);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Attempt, MessageEventType.Sent], timeline!.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task Malformed_queue_message_throws_so_the_trigger_retries_and_poisons_it() =>
        await Assert.ThrowsAnyAsync<JsonException>(() => fixture.Function<DeliverMessageFunction>().Run("not json", CancellationToken.None));

    private static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(a => (a.Key, Count: a.Value - before.GetValueOrDefault(a.Key)))
            .Where(a => a.Count != 0)
            .ToDictionary(a => a.Key, a => a.Count);
}
