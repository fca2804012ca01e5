using System.Globalization;
using System.Text.Json;

namespace Bridge.Functions.Tests;

/// <summary>The Functions host's batch and cancel triggers answer as Bridge.Server does (the same Core endpoints).</summary>
[Collection(FunctionsCollection.Name)]
public sealed class ScheduleAndBatchFunctionTests(FunctionsFixture fixture)
{
    private async Task<(int Status, JsonElement Body)> Cancel(string key, string id)
    {
        var context = fixture.NewContext(key);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<CancelMessageFunction>().Run(context.Request, id, CancellationToken.None), context);
        return (status, body);
    }

    private async Task<JsonElement> Get(string id)
    {
        var context = fixture.NewContext(FunctionsFixture.SenderKey);
        return (await FunctionsFixture.ExecuteAsync(await fixture.Function<GetMessageFunction>().Run(context.Request, id, CancellationToken.None), context)).Body;
    }

    [Fact]
    public async Task Scheduled_message_is_canceled_by_its_own_key_only()
    {
        var sendAt = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var request = new { from = "orders@shop.example", to = new[] { "ann@example.org" }, subject = "later", text = "x", sendAt };
        var key = "schedule-" + Guid.NewGuid();
        var (status, accepted, _) = await fixture.SendAsync(FunctionsFixture.SenderKey, request, idempotencyKey: key);
        Assert.Equal(202, status);
        Assert.Equal("scheduled", accepted.GetProperty("status").GetString());
        var id = accepted.GetProperty("id").GetString()!;
        var (_, again, _) = await fixture.SendAsync(FunctionsFixture.SenderKey, request, idempotencyKey: key);
        Assert.Equal((id, "scheduled"), (again.GetProperty("id").GetString(), again.GetProperty("status").GetString()));

        Assert.Equal(404, (await Cancel(FunctionsFixture.OtherKey, id)).Status);
        Assert.Equal(403, (await Cancel(FunctionsFixture.ReaderKey, id)).Status);
        var (canceled, body) = await Cancel(FunctionsFixture.SenderKey, id);

        Assert.Equal(200, canceled);
        Assert.Equal("canceled", body.GetProperty("status").GetString());
        var view = await Get(id);
        Assert.Equal("canceled", view.GetProperty("status").GetString());
        Assert.Equal(["accepted", "scheduled", "canceled"], view.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Batch_answers_each_item_and_queues_the_good_ones()
    {
        var context = fixture.NewContext(FunctionsFixture.SenderKey, new
        {
            messages = new object[] { Messages.Valid(subject: "batch a"), new { from = "orders@shop.example", subject = "no recipient", text = "x" }, Messages.Valid(subject: "batch c") },
        });

        var (status, body, _) = await FunctionsFixture.ExecuteAsync(await fixture.Function<SendBatchFunction>().Run(context.Request, CancellationToken.None), context);

        Assert.Equal(200, status);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([202, 400, 202], results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.True(results[1].GetProperty("problem").GetProperty("errors").TryGetProperty("to", out _));
        foreach (var id in new[] { results[0], results[2] }.Select(r => r.GetProperty("id").GetString()!))
        {
            Assert.Equal("queued", (await Get(id)).GetProperty("status").GetString());
            Assert.Contains(id, await fixture.TakeQueuedAsync(id), StringComparison.Ordinal);
        }
    }
}
