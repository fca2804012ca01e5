using Bridge.Core.Secrets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Secrets;

public sealed class SecretCacheTests
{
    private sealed class CountingStore : ISecretStore
    {
        public int Reads;
        public string Value = "v1";

        public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Reads);
            return name == "Missing" ? throw new SecretNotFoundException(name, "test") : Task.FromResult(Value);
        }
    }

    private readonly CountingStore store = new();
    private readonly FakeTimeProvider time = new();
    private readonly SecretCache cache;

    public SecretCacheTests() =>
        cache = new SecretCache(store, time, Options.Create(new SecretCacheOptions { TimeToLive = TimeSpan.FromMinutes(10) }));

    [Fact]
    public async Task Concurrent_reads_hit_the_store_once()
    {
        var values = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.GetSecretAsync("SmtpPassword", CancellationToken.None)));

        Assert.All(values, v => Assert.Equal("v1", v));
        Assert.Equal(1, store.Reads);
        Assert.Equal(1, cache.StoreReads);
    }

    [Fact]
    public async Task Invalidate_reads_a_rotated_secret()
    {
        await cache.GetSecretAsync("SmtpPassword", CancellationToken.None);
        store.Value = "v2";

        Assert.Equal("v1", await cache.GetSecretAsync("SmtpPassword", CancellationToken.None));
        cache.Invalidate("SmtpPassword");
        Assert.Equal("v2", await cache.GetSecretAsync("SmtpPassword", CancellationToken.None));
    }

    [Fact]
    public async Task Entries_expire_after_their_time_to_live()
    {
        await cache.GetSecretAsync("SmtpPassword", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(11));
        await cache.GetSecretAsync("SmtpPassword", CancellationToken.None);

        Assert.Equal(2, store.Reads);
    }

    [Fact]
    public async Task Failures_are_not_cached()
    {
        await Assert.ThrowsAsync<SecretNotFoundException>(() => cache.GetSecretAsync("Missing", CancellationToken.None));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => cache.GetSecretAsync("Missing", CancellationToken.None));

        Assert.Equal(2, store.Reads);
    }
}
