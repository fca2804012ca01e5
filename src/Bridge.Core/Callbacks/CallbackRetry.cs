namespace Bridge.Core.Callbacks;

/// <summary>The contract's retry ladder with jitter, as a plain rule.</summary>
public static class CallbackRetry
{
    /// <summary>
    /// The delay after failed attempt <paramref name="attempt"/> (1 for the first), or null when the ladder is used up and
    /// the callback fails for good. <paramref name="jitterSample"/> is in [0, 1); the delay moves by up to the jitter either way.
    /// </summary>
    public static TimeSpan? DelayAfter(int attempt, IReadOnlyList<TimeSpan> ladder, double jitter, double jitterSample) =>
        attempt >= 1 && attempt <= ladder.Count
            ? ladder[attempt - 1] * (1 + (jitter * ((2 * jitterSample) - 1)))
            : null;
}
