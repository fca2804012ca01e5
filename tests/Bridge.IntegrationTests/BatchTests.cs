using System.Net;
using System.Text.Json;

namespace Bridge.IntegrationTests;

/// <summary>POST /api/v1/messages/batch through Bridge.Server: per-item results, bad items beside good ones, one key for the batch.</summary>
[Collection(ServerCollection.Name)]
public sealed class BatchTests(ServerFixture fixture)
{
    private const string Path = "api/v1/messages/batch";

    private static IReadOnlyList<JsonElement> Results(JsonElement body) => body.GetProperty("results").EnumerateArray().ToList();

    [Fact]
    public async Task Batch_of_300_queues_the_good_items_and_answers_each_bad_one_with_its_problem()
    {
        var tag = Guid.NewGuid().ToString("N");
        // Every 10th item has no subject (400), every 25th another domain's sender (403); the rest are good.
        var items = Enumerable.Range(0, 300).Select(i => (object)(i % 10 == 3
            ? new { from = "orders@shop.example", to = new[] { "ann@example.org" }, text = "no subject" }
            : i % 25 == 7
                ? ServerFixture.Mail($"batch {tag} {i}", from: "someone@elsewhere.example")
                : ServerFixture.Mail($"batch {tag} {i}"))).ToList();
        var key = "batch-" + tag;

        var (response, body) = await fixture.PostAsync(new { messages = items }, path: Path, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = Results(body);
        Assert.Equal(Enumerable.Range(0, 300), results.Select(r => r.GetProperty("index").GetInt32()));
        for (var i = 0; i < 300; i++)
        {
            var (status, expected) = (results[i].GetProperty("status").GetInt32(), i % 10 == 3 ? 400 : i % 25 == 7 ? 403 : 202);
            Assert.True(expected == status, $"item {i}: {results[i]}");
            if (status == 400)
            {
                Assert.True(results[i].GetProperty("problem").GetProperty("errors").TryGetProperty("subject", out _), $"item {i}: {results[i]}");
            }
            else if (status == 403)
            {
                Assert.Equal(403, results[i].GetProperty("problem").GetProperty("status").GetInt32());
            }
        }

        var accepted = results.Where(r => r.GetProperty("status").GetInt32() == 202).ToList();
        Assert.Equal(accepted.Count, accepted.Select(r => r.GetProperty("id").GetString()).Distinct().Count());

        // Every good item arrives once, and only the good ones.
        var subjects = accepted.Select(r => $"batch {tag} {r.GetProperty("index").GetInt32()}").ToHashSet();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            while (fixture.Smtp.Received.Select(m => m.Parse().Subject ?? "").Count(subjects.Contains) < subjects.Count)
            {
                await Task.Delay(200, timeout.Token);
            }
        }

        var received = fixture.Smtp.Received.Select(m => m.Parse().Subject ?? "").Where(s => s.StartsWith($"batch {tag} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(subjects.Order(), received.Order());
        var one = accepted[5].GetProperty("id").GetString()!;
        var status5 = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, one, s => s == "sent", TimeSpan.FromSeconds(30));
        Assert.Equal(["accepted", "attempt", "sent"], ServerFixture.EventTypes(status5));

        // The same batch with the same key: the first answer again, and nothing sent twice.
        var (again, replay) = await fixture.PostAsync(new { messages = items }, path: Path, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(results.Select(r => (r.GetProperty("status").GetInt32(), r.TryGetProperty("id", out var id) ? id.GetString() : null)),
            Results(replay).Select(r => (r.GetProperty("status").GetInt32(), r.TryGetProperty("id", out var id) ? id.GetString() : null)));
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.PostAsync(new { messages = items.Take(3) }, path: Path, idempotencyKey: key)).Response.StatusCode);
        Assert.Equal(subjects.Count, fixture.Smtp.Received.Count(m => (m.Parse().Subject ?? "").StartsWith($"batch {tag} ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public async Task Batch_of_none_or_more_than_500_is_refused_whole(int count)
    {
        var items = Enumerable.Range(0, count).Select(i => ServerFixture.Mail("too many " + i)).ToList();

        var (response, problem) = await fixture.PostAsync(new { messages = items }, path: Path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1 to 500", problem.GetProperty("errors").GetProperty("messages")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_counts_each_message_against_the_daily_cap()
    {
        // This key may send 3 messages a day; nothing else uses it.
        var items = Enumerable.Range(0, 5).Select(i => ServerFixture.Mail($"capped {Guid.NewGuid()} {i}")).ToList();

        var (response, body) = await fixture.PostAsync(new { messages = items }, apiKey: ServerFixture.BatchDailyKey, path: Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statuses = Results(body).Select(r => r.GetProperty("status").GetInt32()).ToList();
        // The cap cuts the batch's tail; each refused item says why.
        Assert.Equal([202, 202, 202, 429, 429], statuses);
        Assert.Equal("urn:bridge:problem:rate-limited", Results(body)[4].GetProperty("problem").GetProperty("type").GetString());
    }
}
