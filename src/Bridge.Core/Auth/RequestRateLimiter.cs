using System.Collections.Concurrent;

namespace Bridge.Core.Auth;

/// <summary>Requests per second per API key, counted in this instance (a burst guard, not a billing meter).</summary>
public sealed class RequestRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TokenBucket> buckets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the request may go ahead; otherwise how long the caller should wait.</summary>
    public TimeSpan? Check(ApiCaller caller) => caller.RequestsPerSecond <= 0
        ? null
        : Bucket(caller).TryTake();

    /// <summary>
    /// For a batch, which counts each message as a request: takes up to <paramref name="wanted"/> more, and says how
    /// many it got and how long until the next.
    /// </summary>
    public (int Granted, TimeSpan NextIn) TakeUpTo(ApiCaller caller, int wanted) => caller.RequestsPerSecond <= 0
        ? (wanted, TimeSpan.Zero)
        : Bucket(caller).TakeUpTo(wanted);

    private TokenBucket Bucket(ApiCaller caller) => buckets.GetOrAdd(caller.KeyName, _ => new TokenBucket(caller.RequestsPerSecond, time));
}
