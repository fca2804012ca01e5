using System.Globalization;

namespace Bridge.Core.Hooks;

/// <summary>
/// A signed timestamp must lie within the tolerance of now, either way: an old one is a replayed delivery,
/// one from the future a forged or badly clocked one. Together with the delivery id this bounds replays.
/// </summary>
public static class TimestampWindow
{
    /// <summary>Null when <paramref name="unixSeconds"/> is within <paramref name="tolerance"/> of <paramref name="now"/>; otherwise why not.</summary>
    public static string? Check(string unixSeconds, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(unixSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "the signed timestamp is not a Unix time in seconds";
        }

        var skew = now.ToUnixTimeSeconds() - seconds;
        return Math.Abs(skew) <= tolerance.TotalSeconds
            ? null
            : $"the signed timestamp is {Math.Abs(skew)} s {(skew > 0 ? "old" : "in the future")}, more than the {tolerance.TotalSeconds} s allowed";
    }
}
