using Microsoft.Extensions.Options;

namespace Bridge.Core.Delivery;

/// <summary>
/// When to try a deferred message again: exponential backoff from <see cref="DeliveryOptions.InitialRetryDelay"/>
/// up to <see cref="DeliveryOptions.MaxRetryDelay"/>, with jitter so retries do not arrive in a herd,
/// and never past <see cref="DeliveryOptions.MaxAge"/>.
/// </summary>
public sealed class RetrySchedule(IOptions<DeliveryOptions> options)
{
    /// <summary>
    /// The delay before attempt <paramref name="nextAttempt"/> (2 for the first retry), or null when the
    /// message would be older than the maximum age by then. <paramref name="jitterSample"/> is in [0, 1).
    /// </summary>
    public TimeSpan? DelayBefore(int nextAttempt, DateTimeOffset acceptedAt, DateTimeOffset now, double jitterSample)
    {
        var o = options.Value;
        var exponent = Math.Min(nextAttempt - 2, 30);
        var baseDelay = Math.Min(o.InitialRetryDelay.TotalSeconds * Math.Pow(2, exponent), o.MaxRetryDelay.TotalSeconds);
        var jitter = 1 + (o.RetryJitter * ((2 * jitterSample) - 1));
        var delay = TimeSpan.FromSeconds(baseDelay * jitter);
        return now + delay - acceptedAt > o.MaxAge ? null : delay;
    }

    public TimeSpan? DelayBefore(int nextAttempt, DateTimeOffset acceptedAt, DateTimeOffset now) =>
        DelayBefore(nextAttempt, acceptedAt, now, Random.Shared.NextDouble());
}
