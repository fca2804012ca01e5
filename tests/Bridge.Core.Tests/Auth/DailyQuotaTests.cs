using Bridge.Core.Auth;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Auth;

/// <summary>The daily allowance against real Table storage (Azurite), with several instances sharing it.</summary>
public sealed class DailyQuotaTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero));
    private Azurite azurite = null!;
    private StorageClients storage = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        storage = azurite.Clients();
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.QuotasTable);
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    private static ApiCaller Caller(int perDay) => new("shop", new HashSet<string>(), [], [], MessagesPerDay: perDay);

    [Fact]
    public async Task Instances_together_never_exceed_the_cap()
    {
        var instances = Enumerable.Range(0, 3).Select(_ => new DailyQuota(storage, time)).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => instances[i % 3].TryConsumeAsync(Caller(25), CancellationToken.None)));

        Assert.Equal(25, results.Count(r => r is null));
    }

    [Fact]
    public async Task Exhausted_allowance_says_when_it_renews_and_renews_at_utc_midnight()
    {
        var quota = new DailyQuota(storage, time);
        Assert.Null(await quota.TryConsumeAsync(Caller(1), CancellationToken.None));

        var wait = await quota.TryConsumeAsync(Caller(1), CancellationToken.None);
        Assert.Equal(TimeSpan.FromHours(1), wait);

        time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await quota.TryConsumeAsync(Caller(1), CancellationToken.None));
    }

    [Fact]
    public async Task No_cap_costs_no_storage()
    {
        await using var stopped = await Azurite.StartAsync();
        var offline = stopped.Clients();
        await stopped.StopAsync();

        Assert.Null(await new DailyQuota(offline, time).TryConsumeAsync(Caller(0), CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_counts_each_message_and_gets_what_is_left_of_the_day()
    {
        var first = new DailyQuota(storage, time);
        var second = new DailyQuota(storage, time);

        Assert.Equal((4, TimeSpan.FromHours(1)), await first.ConsumeUpToAsync(Caller(10), 4, CancellationToken.None));
        Assert.Equal((6, TimeSpan.FromHours(1)), await second.ConsumeUpToAsync(Caller(10), 500, CancellationToken.None));
        Assert.Equal(0, (await first.ConsumeUpToAsync(Caller(10), 1, CancellationToken.None)).Granted);

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(10, (await first.ConsumeUpToAsync(Caller(10), 500, CancellationToken.None)).Granted);
    }
}
