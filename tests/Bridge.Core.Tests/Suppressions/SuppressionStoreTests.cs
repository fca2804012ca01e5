using Bridge.Core.Diagnostics;
using Bridge.Core.Storage;
using Bridge.Core.Suppressions;
using Bridge.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Suppressions;

/// <summary>The suppressions table against real storage (Azurite): per key, the domain ignoring case, and an optional expiry.</summary>
public sealed class SuppressionStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));
    private Azurite azurite = null!;
    private StorageClients storage = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        storage = azurite.Clients();
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.SuppressionsTable);
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task A_suppression_with_days_set_lapses_after_them_and_suppressing_again_renews_it()
    {
        var store = Store(days: 30);
        await store.AddAsync("shop", "Gone@Example.org", Suppression.FromSmtp, "5.1.1", "550 5.1.1 unknown", "m1", CancellationToken.None);

        time.Advance(TimeSpan.FromDays(29));
        var found = Assert.Single(await store.FindAsync("shop", ["Gone@EXAMPLE.ORG", "ann@example.org"], CancellationToken.None));
        Assert.Equal("Gone@example.org", found.Email);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromDays(29) + TimeSpan.FromDays(30), found.ExpiresAt);

        time.Advance(TimeSpan.FromDays(2));
        Assert.Empty(await store.FindAsync("shop", ["Gone@example.org"], CancellationToken.None));
        Assert.Empty(await store.ListAsync("shop", null, 10, CancellationToken.None));

        await store.AddAsync("shop", "Gone@example.org", Suppression.FromBounce, "5.1.1", null, "m2", CancellationToken.None);
        Assert.Equal("m2", Assert.Single(await store.FindAsync("shop", ["Gone@example.org"], CancellationToken.None)).MessageId);
    }

    [Fact]
    public async Task Without_days_a_suppression_lasts_and_belongs_to_its_key_only()
    {
        var store = Store(days: null);
        await store.AddAsync("Shop", "bo@example.org", Suppression.Manual, null, null, null, CancellationToken.None);

        time.Advance(TimeSpan.FromDays(3650));
        Assert.Single(await store.FindAsync("shop", ["bo@example.org"], CancellationToken.None));
        Assert.Empty(await store.FindAsync("other", ["bo@example.org"], CancellationToken.None));
        // The local part keeps its case: the receiving server decides what it means.
        Assert.Empty(await store.FindAsync("shop", ["BO@example.org"], CancellationToken.None));
    }

    [Fact]
    public async Task Many_recipients_are_asked_about_in_chunks_and_odd_characters_survive_the_key()
    {
        var store = Store(days: null);
        var odd = "a/b#c?d%e@example.org";
        await store.AddAsync("shop", odd, Suppression.Manual, null, null, null, CancellationToken.None);
        var recipients = Enumerable.Range(0, 45).Select(i => $"r{i}@example.org").Append(odd).ToList();
        await store.AddAsync("shop", "r44@example.org", Suppression.Manual, null, null, null, CancellationToken.None);

        var found = await store.FindAsync("shop", recipients, CancellationToken.None);

        Assert.Equal(["a/b#c?d%e@example.org", "r44@example.org"], found.Select(s => s.Email).Order(StringComparer.Ordinal));
        Assert.True(await store.RemoveAsync("shop", odd, CancellationToken.None));
        Assert.False(await store.RemoveAsync("shop", odd, CancellationToken.None));
    }

    [Fact]
    public async Task A_key_without_suppressions_is_asked_about_once_per_absence_cache_and_an_addition_here_counts_at_once()
    {
        var requests = new StorageRequestCounter();
        var store = new SuppressionStore(azurite.Clients(requests.Attach), Options.Create(new SuppressionOptions()), time);

        Assert.Empty(await store.FindAsync("shop", ["ann@example.org"], CancellationToken.None));
        var afterFirst = requests.Counts.Total;
        for (var i = 0; i < 5; i++)
        {
            Assert.Empty(await store.FindAsync("shop", [$"n{i}@example.org"], CancellationToken.None));
        }

        Assert.Equal(1, afterFirst);
        Assert.Equal(afterFirst, requests.Counts.Total);

        // Suppressed through this store: found on the next delivery, not 30 s later.
        await store.AddAsync("shop", "gone@example.org", Suppression.FromSmtp, "5.1.1", null, "m1", CancellationToken.None);
        Assert.Single(await store.FindAsync("shop", ["gone@example.org"], CancellationToken.None));
    }

    [Fact]
    public async Task A_suppression_recorded_by_another_instance_counts_once_the_absence_cache_lapses_and_0_asks_every_time()
    {
        var here = Store(days: null);
        var elsewhere = Store(days: null);
        Assert.Empty(await here.FindAsync("shop", ["gone@example.org"], CancellationToken.None));

        await elsewhere.AddAsync("shop", "gone@example.org", Suppression.FromBounce, "5.1.1", null, "m1", CancellationToken.None);
        Assert.Empty(await here.FindAsync("shop", ["gone@example.org"], CancellationToken.None));
        time.Advance(new SuppressionOptions().AbsenceCache);
        Assert.Single(await here.FindAsync("shop", ["gone@example.org"], CancellationToken.None));

        var uncached = new SuppressionStore(storage, Options.Create(new SuppressionOptions { AbsenceCacheSeconds = 0 }), time);
        Assert.Empty(await uncached.FindAsync("other", ["gone@example.org"], CancellationToken.None));
        await elsewhere.AddAsync("other", "gone@example.org", Suppression.Manual, null, null, null, CancellationToken.None);
        Assert.Single(await uncached.FindAsync("other", ["gone@example.org"], CancellationToken.None));
    }

    private SuppressionStore Store(int? days) => new(storage, Options.Create(new SuppressionOptions { Days = days }), time);
}
