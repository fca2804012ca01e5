using System.Text.Json;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

/// <summary>
/// <c>GET /api/v1/messages</c> and <c>/stats</c> over Azurite: messages recorded through Bridge's own store
/// (as accept records them), then listed page by page through the function.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class ListMessagesFunctionTests(FunctionsFixture fixture)
{
    private sealed record Seeded(string Id, DateTimeOffset CreatedAt, MessageStatus Status, string From, string To, string Tag);

    [Fact]
    public async Task Pages_return_each_message_exactly_once_newest_first_and_never_another_keys()
    {
        var now = DateTimeOffset.UtcNow;
        var mine = await SeedAsync("lister", 250, now, "paging");
        var others = await SeedAsync("other", 5, now, "paging");

        var listed = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (status, body) = await List(FunctionsFixture.ListerKey, $"?limit=100{(cursor is null ? "" : "&cursor=" + cursor)}");
            Assert.Equal(200, status);
            listed.AddRange(body.GetProperty("items").EnumerateArray());
            cursor = body.GetProperty("next").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        var ids = listed.Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(mine.OrderByDescending(m => m.CreatedAt).Select(m => m.Id), ids);
        Assert.DoesNotContain(ids, others.Select(o => o.Id).Contains);
        var first = listed[0];
        var newest = mine.MaxBy(m => m.CreatedAt)!;
        Assert.Equal(newest.Status.ToWire(), first.GetProperty("status").GetString());
        Assert.Equal(newest.To, Assert.Single(first.GetProperty("to").EnumerateArray()).GetString());
        Assert.Equal("Order " + newest.Id[..8], first.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Filters_combine_and_page_and_admin_sees_every_keys_messages()
    {
        var now = DateTimeOffset.UtcNow;
        var tag = "filters-" + MessageId.New()[..8];
        var seeded = await SeedAsync("filterer", 60, now, tag);
        var other = await SeedAsync("other", 2, now, tag);
        var since = now.AddMinutes(-50);
        var until = now.AddMinutes(-5);
        var expected = seeded
            .Where(m => m.Status == MessageStatus.Failed && m.To == "ann@example.org" && m.From == "orders@shop.example"
                        && m.CreatedAt >= since && m.CreatedAt < until)
            .OrderByDescending(m => m.CreatedAt)
            .Select(m => m.Id)
            .ToList();
        Assert.True(expected.Count >= 3, "The seed must leave a few messages for the combined filter.");

        var query = $"?status=failed&to=ANN@example.org&from=%22Shop%22%20%3Corders%40shop.example%3E&tag={tag}"
                    + $"&since={Uri.EscapeDataString(since.ToString("O"))}&until={Uri.EscapeDataString(until.ToString("O"))}&limit=2";
        Assert.Equal(expected, await ListAllAsync(FunctionsFixture.FiltererKey, query));

        var asAdmin = await ListAllAsync(FunctionsFixture.AdminKey, $"?tag={tag}&limit=50");
        Assert.Equal(seeded.Concat(other).OrderByDescending(m => m.CreatedAt).Select(m => m.Id), asAdmin);
        Assert.Empty(await ListAllAsync(FunctionsFixture.ReaderKey, $"?tag={tag}"));
    }

    [Theory]
    [InlineData("?limit=201", "limit")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?cursor=MXwxMjM", "cursor")]
    [InlineData("?status=lost", "status")]
    [InlineData("?since=yesterday", "since")]
    public async Task Bad_parameters_are_400_problems_naming_the_parameter(string query, string parameter)
    {
        var context = fixture.NewContext(FunctionsFixture.SenderKey);
        context.Request.QueryString = new QueryString(query);
        var (status, body, headers) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<ListMessagesFunction>().Run(context.Request, CancellationToken.None), context);

        Assert.Equal(400, status);
        Assert.Equal("application/problem+json", headers.ContentType.ToString());
        Assert.True(body.GetProperty("errors").TryGetProperty(parameter, out _), body.ToString());
    }

    [Fact]
    public async Task Stats_count_the_last_day_by_status_for_the_key()
    {
        var now = DateTimeOffset.UtcNow;
        var before = await Stats(FunctionsFixture.FiltererKey);
        var seeded = await SeedAsync("filterer", 10, now, "stats");
        await SeedAsync("filterer", 1, now.AddDays(-2), "stats-old");

        var after = await Stats(FunctionsFixture.FiltererKey);

        Assert.False(after.ContainsKey("sending"));
        foreach (var status in Enum.GetValues<MessageStatus>().Where(s => s != MessageStatus.Sending))
        {
            Assert.Equal(before[status.ToWire()] + seeded.Count(m => m.Status == status), after[status.ToWire()]);
        }
    }

    [Fact]
    public async Task No_key_is_401() => Assert.Equal(401, (await List(null, "")).Status);

    private async Task<Dictionary<string, int>> Stats(string key)
    {
        var context = fixture.NewContext(key);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<MessageStatsFunction>().Run(context.Request, CancellationToken.None), context);
        Assert.Equal(200, status);
        return body.GetProperty("counts").Deserialize<Dictionary<string, int>>()!;
    }

    private async Task<List<string>> ListAllAsync(string key, string query)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 100; page++)
        {
            var (status, body) = await List(key, query + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(200, status);
            ids.AddRange(body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = body.GetProperty("next").GetString();
            if (cursor is null)
            {
                return ids;
            }
        }

        throw new InvalidOperationException("The list did not end within 100 pages.");
    }

    private async Task<(int Status, JsonElement Body)> List(string? key, string query)
    {
        var context = fixture.NewContext(key);
        context.Request.QueryString = new QueryString(query);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<ListMessagesFunction>().Run(context.Request, CancellationToken.None), context);
        return (status, body);
    }

    /// <summary>Records <paramref name="count"/> messages a minute apart going back from <paramref name="newest"/>, many at once.</summary>
    private async Task<List<Seeded>> SeedAsync(string owner, int count, DateTimeOffset newest, string tag)
    {
        var store = fixture.Services.GetRequiredService<MessageStore>();
        var seeded = Enumerable.Range(0, count).Select(i => new Seeded(
            MessageId.New(),
            newest.AddMinutes(-i),
            (i % 3) switch { 0 => MessageStatus.Failed, 1 => MessageStatus.Sent, _ => MessageStatus.Queued },
            i % 4 == 0 ? "news@shop.example" : "orders@shop.example",
            i % 2 == 0 ? "ann@example.org" : "bo@example.org",
            tag)).ToList();
        await Parallel.ForEachAsync(seeded, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (m, cancellationToken) =>
            await store.CreateAsync(new MessageRecord
            {
                Owner = owner,
                CreatedAt = m.CreatedAt,
                From = m.From == "orders@shop.example" ? "\"Shop\" <Orders@Shop.example>" : m.From,
                To = [m.To],
                Subject = "Order " + m.Id[..8],
                Profile = "default",
                Tags = [m.Tag],
                State = DeliveryState.Accepted(m.Id, m.CreatedAt, owner) with { Status = m.Status },
            }, cancellationToken));
        return seeded;
    }
}
