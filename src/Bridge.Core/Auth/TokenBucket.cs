namespace Bridge.Core.Auth;

/// <summary>
/// A token bucket: <c>rate</c> tokens a second, bursts up to <c>rate</c>. Time comes from a
/// <see cref="TimeProvider"/> so tests move it instead of sleeping.
/// </summary>
public sealed class TokenBucket(int rate, TimeProvider time)
{
    private readonly Lock gate = new();
    private double tokens = rate;
    private long lastRefill = time.GetTimestamp();

    /// <summary>Takes one token, or returns how long until one is available.</summary>
    public TimeSpan? TryTake()
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            tokens = Math.Min(rate, tokens + (time.GetElapsedTime(lastRefill, now).TotalSeconds * rate));
            lastRefill = now;
            if (tokens >= 1)
            {
                tokens -= 1;
                return null;
            }

            return TimeSpan.FromSeconds((1 - tokens) / rate);
        }
    }
}
