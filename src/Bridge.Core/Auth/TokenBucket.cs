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
        var (granted, nextIn) = TakeUpTo(1);
        return granted == 1 ? null : nextIn;
    }

    /// <summary>Takes up to <paramref name="wanted"/> whole tokens; says how many, and how long until the next one.</summary>
    public (int Granted, TimeSpan NextIn) TakeUpTo(int wanted)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            tokens = Math.Min(rate, tokens + (time.GetElapsedTime(lastRefill, now).TotalSeconds * rate));
            lastRefill = now;
            var granted = (int)Math.Min(wanted, Math.Floor(tokens));
            tokens -= granted;
            return (granted, TimeSpan.FromSeconds(Math.Max(0, 1 - tokens) / rate));
        }
    }
}
