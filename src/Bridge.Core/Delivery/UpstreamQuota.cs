using Bridge.Core.Storage;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Delivery;

/// <summary>
/// A profile's <see cref="SmtpProfile.MaxPerMinute"/> and <see cref="SmtpProfile.MaxPerDay"/>, counted across all
/// instances with a <see cref="TableCounter"/> per window. A profile without a cap costs no storage at all.
/// </summary>
public sealed class UpstreamQuota(TableCounter counter, IOptions<SmtpOptions> smtp)
{
    /// <summary>
    /// Takes one message of <paramref name="profileName"/>'s quota for the windows <paramref name="now"/> falls in;
    /// returns null when it may be sent, or the window that is full (send again at its end).
    /// </summary>
    public async Task<ThrottledWindow?> TryTakeAsync(string profileName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!smtp.Value.Profiles.TryGetValue(profileName, out var profile) || profile is { MaxPerMinute: <= 0, MaxPerDay: <= 0 })
        {
            return null;
        }

        var partition = "smtp:" + profileName.ToLowerInvariant();

        // The minute first: messages refused by a full minute must not use up the day, while a minute slot taken by a
        // message the full day then refuses costs nothing (no message can go before the day ends anyway).
        foreach (var (limit, window, name) in new[]
                 {
                     (profile.MaxPerMinute, QuotaWindow.MinuteOf(now), "minute"),
                     (profile.MaxPerDay, QuotaWindow.DayOf(now), "day"),
                 })
        {
            if (limit > 0 && !await counter.TryIncrementAsync(partition, window.Key, limit, cancellationToken).ConfigureAwait(false))
            {
                return new ThrottledWindow(name, limit, window.End);
            }
        }

        return null;
    }
}

/// <summary>A full quota window: the profile has sent <see cref="Limit"/> messages this <see cref="Window"/>, until <see cref="Until"/>.</summary>
public sealed record ThrottledWindow(string Window, int Limit, DateTimeOffset Until);
