using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>Callbacks through Bridge.Server's own queue listener: the same worker the Functions trigger calls, hosted by WebJobs.</summary>
[Collection(ServerCollection.Name)]
public sealed class CallbackTests(ServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private static int CallbackEntries(JsonElement message) =>
        message.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "callback");

    private async Task<(JsonElement Message, List<ReceivedCallback> Received)> SendAndWaitForCallbacksAsync(object mail, int entries)
    {
        var id = ServerFixture.Id((await fixture.PostAsync(mail, ServerFixture.CallbackKey)).Body);
        var message = await fixture.Server.WaitForMessageAsync(ServerFixture.CallbackKey, id, m => CallbackEntries(m) >= entries, Patience);
        return (message, fixture.Callbacks.Received.Where(r => r.Id?.StartsWith($"msg_{id}_", StringComparison.Ordinal) == true).ToList());
    }

    [Fact]
    public async Task Sent_event_reaches_the_receiver_from_the_servers_queue_listener_after_one_500()
    {
        var (message, received) = await SendAndWaitForCallbacksAsync(ServerFixture.Mail("callback " + Guid.NewGuid()), entries: 2);

        Assert.Equal("sent", message.GetProperty("status").GetString());
        Assert.Equal([500, 200], received.Count == 2
            ? message.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "callback")
                .Select(e => e.GetProperty("httpStatus").GetInt32())
            : []);
        Assert.All(received, r => Assert.True(r.SignatureValid));
        using var body = JsonDocument.Parse(received[^1].Body);
        Assert.Equal("message.sent", body.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Permanent_refusal_is_called_back_as_message_failed_with_the_upstreams_reply()
    {
        var (message, received) = await SendAndWaitForCallbacksAsync(
            ServerFixture.Mail("callback refused " + Guid.NewGuid(), to: ["nosuchuser@example.org"], profile: "rejects550"), entries: 2);

        Assert.Equal("failed", message.GetProperty("status").GetString());
        var failed = received.Select(r => JsonDocument.Parse(r.Body).RootElement).Last(b => b.GetProperty("type").GetString() == "message.failed");
        Assert.Equal(550, failed.GetProperty("data").GetProperty("smtp").GetProperty("code").GetInt32());
        Assert.All(received, r => Assert.True(r.SignatureValid));
    }
}
