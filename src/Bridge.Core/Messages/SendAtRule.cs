using System.Globalization;
using System.Text.RegularExpressions;

namespace Bridge.Core.Messages;

/// <summary>
/// What a request's <c>sendAt</c> means: an RFC 3339 time at most <see cref="MaxDelay"/> ahead, because the
/// schedule is the queue message's visibility delay and a queue hides a message for 7 days at most. A time
/// already past sends now (the client's clock or its queue was late; holding the mail back helps nobody).
/// </summary>
public static partial class SendAtRule
{
    /// <summary>Azure Queue storage's longest visibility timeout.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>
    /// The time to send at, or null to send now. <paramref name="error"/> is set, and null returned, when the text
    /// is not an RFC 3339 date-time with an offset or is too far ahead.
    /// </summary>
    public static DateTimeOffset? Evaluate(string? text, DateTimeOffset now, out string? error)
    {
        error = null;
        if (text is null)
        {
            return null;
        }

        if (!Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            error = "must be an RFC 3339 date-time with an offset, like 2026-12-24T09:00:00Z";
            return null;
        }

        if (at - now > MaxDelay)
        {
            error = $"must be at most 7 days ahead (until {(now + MaxDelay).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}); the queue cannot hold a message longer";
            return null;
        }

        return at > now ? at.ToUniversalTime() : null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
