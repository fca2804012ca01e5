using Bridge.Core.Delivery;
using Bridge.Core.Storage;
using Bridge.Testing;

namespace Bridge.Core.Tests.Delivery;

/// <summary>Upstream quotas against real Table storage (Azurite): windows, shared counters, and no storage without a cap.</summary>
public sealed class UpstreamQuotaTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 23, 59, 30, TimeSpan.Zero);
    private Azurite azurite = null!;
    private StorageClients storage = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        storage = azurite.Clients();
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.QuotasTable);
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    private static UpstreamQuota Quota(TableCounter counter, int perMinute, int perDay) => new(counter, TestOptions.Smtp(("capped", new SmtpProfile
    {
        Host = "smtp.example.org", MaxPerMinute = perMinute, MaxPerDay = perDay,
    })));

    [Fact]
    public void Windows_are_utc_minutes_and_days_ending_at_their_boundary()
    {
        var local = new DateTimeOffset(2026, 12, 8, 1, 0, 5, TimeSpan.FromHours(2));

        Assert.Equal(new QuotaWindow("minute:2026-12-07T23:00", new DateTimeOffset(2026, 12, 7, 23, 1, 0, TimeSpan.Zero)), QuotaWindow.MinuteOf(local));
        Assert.Equal(new QuotaWindow("day:2026-12-07", new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero)), QuotaWindow.DayOf(local));
    }

    [Fact]
    public async Task Instances_sharing_a_counter_never_exceed_the_minute_and_the_next_minute_starts_afresh()
    {
        var instances = Enumerable.Range(0, 3).Select(_ => Quota(new TableCounter(storage), 5, 0)).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => instances[i % 3].TryTakeAsync("capped", Now, CancellationToken.None)));

        Assert.Equal(5, results.Count(r => r is null));
        Assert.All(results.Where(r => r is not null), r => Assert.Equal(new ThrottledWindow("minute", 5, Now.AddSeconds(30)), r));
        Assert.Null(await instances[0].TryTakeAsync("capped", Now.AddSeconds(30), CancellationToken.None));
    }

    [Fact]
    public async Task A_full_day_defers_to_midnight_and_a_full_minute_does_not_use_up_the_day()
    {
        var quota = Quota(new TableCounter(storage), 2, 3);

        Assert.Null(await quota.TryTakeAsync("capped", Now.AddMinutes(-5), CancellationToken.None));
        Assert.Null(await quota.TryTakeAsync("capped", Now, CancellationToken.None));
        Assert.Null(await quota.TryTakeAsync("capped", Now, CancellationToken.None));
        Assert.Equal("minute", (await quota.TryTakeAsync("capped", Now, CancellationToken.None))!.Window);

        var full = await quota.TryTakeAsync("capped", Now.AddSeconds(-61), CancellationToken.None);
        Assert.Equal(new ThrottledWindow("day", 3, new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero)), full);
    }

    [Fact]
    public async Task No_cap_costs_no_storage()
    {
        await using var stopped = await Azurite.StartAsync();
        var offline = stopped.Clients();
        await stopped.StopAsync();

        Assert.Null(await Quota(new TableCounter(offline), 0, 0).TryTakeAsync("capped", Now, CancellationToken.None));
        Assert.Null(await Quota(new TableCounter(offline), 0, 0).TryTakeAsync("unknown", Now, CancellationToken.None));
    }
}
