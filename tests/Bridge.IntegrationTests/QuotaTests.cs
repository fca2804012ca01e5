using System.Net;
using System.Text.Json;

namespace Bridge.IntegrationTests;

/// <summary>
/// Two Bridge.Server processes draining one queue, one message at a time each, with a profile capped at 5 messages a
/// minute: the cap holds for both together, so the count must really be shared through storage.
/// </summary>
public sealed class TwoServersFixture : ServerFixture
{
    public const string CappedProfile = "capped";
    public const int PerMinute = 5;

    public BridgeServerProcess Second { get; private set; } = null!;

    protected override void Customize(Dictionary<string, string> settings)
    {
        foreach (var (key, value) in settings.Where(s => s.Key.StartsWith("Bridge__Smtp__Profiles__default__", StringComparison.Ordinal)).ToList())
        {
            settings[key.Replace("__default__", $"__{CappedProfile}__", StringComparison.Ordinal)] = value;
        }

        settings[$"Bridge__Smtp__Profiles__{CappedProfile}__MaxPerMinute"] = PerMinute.ToString();
        // One message at a time per process, so both take part.
        settings["AzureFunctionsJobHost__extensions__queues__batchSize"] = "1";
        settings["AzureFunctionsJobHost__extensions__queues__newBatchThreshold"] = "0";
    }

    /// <summary>The processes start one after the other, each waited for until it answers: under load, not at once.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Second = new BridgeServerProcess(Environment());
        await Second.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        if (Second is not null)
        {
            await Second.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

public sealed class QuotaTests(TwoServersFixture fixture) : IClassFixture<TwoServersFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static IEnumerable<JsonElement> EventsOf(JsonElement status, string type) =>
        status.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == type);

    private static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, at.UtcDateTime.Day,
        at.UtcDateTime.Hour, at.UtcDateTime.Minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task Quota_per_minute_holds_across_two_processes_and_the_rest_waits_for_the_next_minute()
    {
        const int count = 10;
        var tag = Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (response, accepted) = await fixture.PostAsync(ServerFixture.Mail($"quota {tag} {i}", profile: TwoServersFixture.CappedProfile));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add(ServerFixture.Id(accepted));
        }

        // Each message either went out or was throttled (or both, a minute later).
        var statuses = new List<JsonElement>();
        foreach (var id in ids)
        {
            statuses.Add(await WaitForSentOrThrottledAsync(id));
        }

        var attempts = statuses.SelectMany(s => EventsOf(s, "attempt")).Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        var throttled = statuses.Where(s => EventsOf(s, "throttled").Any()).ToList();
        Assert.All(attempts.GroupBy(MinuteOf), minute => Assert.True(minute.Count() <= TwoServersFixture.PerMinute,
            $"{minute.Count()} messages went out in the minute from {minute.Key:HH:mm}"));
        if (attempts.Select(MinuteOf).Distinct().Count() == 1 && attempts.Count < count)
        {
            Assert.Equal(count - attempts.Count, throttled.Count(s => !EventsOf(s, "attempt").Any()));
        }

        Assert.NotEmpty(throttled);
        foreach (var status in throttled)
        {
            var at = EventsOf(status, "throttled").First().GetProperty("at").GetDateTimeOffset();
            Assert.Contains("5 messages this minute", EventsOf(status, "throttled").First().GetProperty("detail").GetString(), StringComparison.Ordinal);
            if (status.GetProperty("status").GetString() != "sent")
            {
                Assert.Equal(MinuteOf(at).AddMinutes(1), status.GetProperty("nextAttemptAt").GetDateTimeOffset());
            }
        }

        // Both processes handled some of them, so the count was shared, not kept per process.
        Assert.Contains(fixture.Server.Output, line => ids.Any(id => line.Contains(id, StringComparison.Ordinal) && !line.Contains("accepted", StringComparison.Ordinal)));
        Assert.Contains(fixture.Second.Output, line => ids.Any(id => line.Contains(id, StringComparison.Ordinal)));
    }

    private async Task<JsonElement> WaitForSentOrThrottledAsync(string id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, _ => true, Patience);
            if (status.GetProperty("status").GetString() == "sent" || EventsOf(status, "throttled").Any())
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"message {id} was neither sent nor throttled: {status}");
            await Task.Delay(100);
        }
    }
}
