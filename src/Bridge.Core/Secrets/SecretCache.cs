using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Secrets;

/// <summary>
/// Caches another store's secrets for a while. <see cref="Invalidate"/> drops one entry, so an
/// authentication failure can read a password that may have rotated.
/// </summary>
public sealed class SecretCache(ISecretStore inner, TimeProvider time, IOptions<SecretCacheOptions> options)
{
    private long reads;

    private readonly ConcurrentDictionary<string, Lazy<Task<(string Value, DateTimeOffset ReadAt)>>> cache = new(StringComparer.Ordinal);

    public async Task<string> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = cache.GetOrAdd(name, n => new Lazy<Task<(string, DateTimeOffset)>>(() => ReadAsync(n)));
            try
            {
                var (value, readAt) = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (time.GetUtcNow() - readAt < options.Value.TimeToLive)
                {
                    return value;
                }
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed read is not cached: the next caller tries again.
                cache.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(name, entry));
                throw;
            }

            cache.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(name, entry));
        }
    }

    /// <summary>Reads that reached the underlying store (a cost counter for the benchmark).</summary>
    public long StoreReads => Interlocked.Read(ref reads);

    public void Invalidate(string name) => cache.TryRemove(name, out _);

    private async Task<(string, DateTimeOffset)> ReadAsync(string name)
    {
        Interlocked.Increment(ref reads);

        // Shared by concurrent callers, so it must not be cancelled by any single one of them.
        var value = await inner.GetSecretAsync(name, CancellationToken.None).ConfigureAwait(false);
        return (value, time.GetUtcNow());
    }
}
