using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bridge.Functions.Tests;

/// <summary>
/// The SendGrid and Postmark drop-in routes through the Functions app's triggers, as the host calls them: the
/// same endpoints Bridge.Server maps, so the same answers, and the key's scope and profiles hold here too.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class DropInFunctionTests(FunctionsFixture fixture)
{
    private async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> SendGridAsync(string key, object body)
    {
        var context = fixture.NewContext(key, body);
        return await FunctionsFixture.ExecuteAsync(await fixture.Function<SendGridMailSendFunction>().Run(context.Request, CancellationToken.None), context);
    }

    private async Task<(int Status, JsonElement Body)> PostmarkAsync(string key, object body, bool batch = false)
    {
        var context = fixture.NewContext(null, body);
        context.Request.Headers["X-Postmark-Server-Token"] = key;
        var result = batch
            ? await fixture.Function<PostmarkBatchFunction>().Run(context.Request, CancellationToken.None)
            : await fixture.Function<PostmarkEmailFunction>().Run(context.Request, CancellationToken.None);
        var (status, answer, _) = await FunctionsFixture.ExecuteAsync(result, context);
        return (status, answer);
    }

    private async Task<string> SubjectOf(string id)
    {
        var context = fixture.NewContext(FunctionsFixture.SenderKey);
        var (status, message, _) = await FunctionsFixture.ExecuteAsync(await fixture.Function<GetMessageFunction>().Run(context.Request, id, CancellationToken.None), context);
        Assert.Equal(200, status);
        return message.GetProperty("subject").GetString()!;
    }

    [Fact]
    public async Task SendGrid_trigger_accepts_a_message_per_personalization_and_refuses_a_key_without_send_in_SendGrid_shape()
    {
        var subject = "fn sendgrid " + Guid.NewGuid();
        var mail = new
        {
            personalizations = new[] { new { to = new[] { new { email = "ann@example.org" } } }, new { to = new[] { new { email = "bo@example.org" } } } },
            from = new { email = "orders@shop.example" }, subject, content = new[] { new { type = "text/plain", value = "x" } },
        };

        var (status, body, headers) = await SendGridAsync(FunctionsFixture.SenderKey, mail);
        var (refused, errors, _) = await SendGridAsync(FunctionsFixture.ReaderKey, mail);

        Assert.Equal(202, status);
        Assert.Equal(JsonValueKind.Undefined, body.ValueKind);
        var ids = headers["X-Message-Id"].ToString().Split(',');
        Assert.Equal(2, ids.Length);
        foreach (var id in ids)
        {
            Assert.Equal(subject, await SubjectOf(id));
        }

        Assert.Equal(403, refused);
        Assert.Contains("'send' scope", errors.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postmark_triggers_send_and_answer_scope_profile_and_stream_refusals_with_Postmark_codes()
    {
        object Message(string subject, string? stream = null) =>
            new { From = "orders@shop.example", To = "ann@example.org", Subject = subject, TextBody = "x", MessageStream = stream };
        var subject = "fn postmark " + Guid.NewGuid();

        var (status, sent) = await PostmarkAsync(FunctionsFixture.SenderKey, Message(subject));
        var (batchStatus, batch) = await PostmarkAsync(FunctionsFixture.SenderKey,
            new[] { Message(subject + " b"), Message("x", stream: "other"), Message("x", stream: "broadcast") }, batch: true);
        var (noScope, scopeError) = await PostmarkAsync(FunctionsFixture.ReaderKey, Message("x"));

        Assert.Equal((200, 0), (status, sent.GetProperty("ErrorCode").GetInt32()));
        Assert.Equal(subject, await SubjectOf(sent.GetProperty("MessageID").GetString()!));
        Assert.Equal(200, batchStatus);
        var items = batch.EnumerateArray().ToList();
        Assert.Equal([0, 300, 300], items.Select(i => i.GetProperty("ErrorCode").GetInt32()));
        Assert.Equal(subject + " b", await SubjectOf(items[0].GetProperty("MessageID").GetString()!));
        Assert.Contains("may not use SMTP profile 'other'", items[1].GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Contains("MessageStream", items[2].GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal((401, 10), (noScope, scopeError.GetProperty("ErrorCode").GetInt32()));
    }
}
