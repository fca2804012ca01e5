using System.Text.Json;
using Bridge.Core.Messages;

namespace Bridge.Functions.Tests;

/// <summary>
/// <c>POST /api/v1/messages/replay</c>: messages that really failed (profile <c>other</c> cannot talk to the
/// test server) are replayed by id and by window, each with a <c>replayed</c> event and a queue message.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class ReplayMessagesFunctionTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task Failed_messages_are_replayed_by_id_and_by_window_each_with_an_event()
    {
        var since = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        var byId = await FailAsync("replay-id-" + Guid.NewGuid());
        var byWindow = await FailAsync("replay-window-" + Guid.NewGuid());
        var unknown = MessageId.New();

        var (status, body) = await Replay(FunctionsFixture.AdminKey, new { ids = new[] { byId, unknown } });
        Assert.Equal(202, status);
        Assert.Equal(1, body.GetProperty("replayed").GetInt32());
        var skipped = Assert.Single(body.GetProperty("skipped").EnumerateArray());
        Assert.Equal(unknown, skipped.GetProperty("id").GetString());
        Assert.Equal("not-found", skipped.GetProperty("reason").GetString());
        await AssertReplayedAsync(byId);

        (status, body) = await Replay(FunctionsFixture.AdminKey, new { status = "failed", since });
        Assert.Equal(202, status);
        Assert.Equal(1, body.GetProperty("replayed").GetInt32());
        Assert.False(body.GetProperty("more").GetBoolean());
        await AssertReplayedAsync(byWindow);

        // Replayed once: a second request finds nothing failed in the window.
        (_, body) = await Replay(FunctionsFixture.AdminKey, new { status = "failed", since });
        Assert.Equal(0, body.GetProperty("replayed").GetInt32());
    }

    [Theory]
    [InlineData("""{"status": "sent"}""", "status")]
    [InlineData("""{"ids": ["not-an-id"]}""", "ids")]
    [InlineData("""{"ids": ["0193b0c4a1b27c3d8e9f001122334455"], "since": "2026-01-01T00:00:00Z"}""", "ids")]
    [InlineData("""{"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}""", "until")]
    public async Task Bad_requests_are_400_naming_the_field(string raw, string field)
    {
        var (status, body) = await Replay(FunctionsFixture.AdminKey, raw: raw);

        Assert.Equal(400, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task Only_admin_may_replay() =>
        Assert.Equal(403, (await Replay(FunctionsFixture.SenderKey, new { status = "failed" })).Status);

    private async Task<string> FailAsync(string subject)
    {
        var request = JsonSerializer.SerializeToNode(Messages.Valid(subject: subject))!;
        request["profile"] = "other";
        var (accepted, body, _) = await fixture.SendAsync(FunctionsFixture.OtherKey, rawBody: request.ToJsonString());
        Assert.Equal(202, accepted);
        var id = body.GetProperty("id").GetString()!;
        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);
        Assert.Equal("failed", (await Get(id)).GetProperty("status").GetString());
        return id;
    }

    private async Task AssertReplayedAsync(string id)
    {
        var message = await Get(id);
        Assert.Equal("queued", message.GetProperty("status").GetString());
        Assert.Equal("replayed", message.GetProperty("events").EnumerateArray().Last().GetProperty("type").GetString());
        Assert.Contains(id, await fixture.TakeQueuedAsync(id), StringComparison.Ordinal);
    }

    private async Task<JsonElement> Get(string id)
    {
        var context = fixture.NewContext(FunctionsFixture.AdminKey);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<GetMessageFunction>().Run(context.Request, id, CancellationToken.None), context);
        Assert.Equal(200, status);
        return body;
    }

    private async Task<(int Status, JsonElement Body)> Replay(string key, object? body = null, string? raw = null)
    {
        var context = fixture.NewContext(key, body, raw);
        var (status, answer, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<ReplayMessagesFunction>().Run(context.Request, CancellationToken.None), context);
        return (status, answer);
    }
}
