using System.Globalization;

namespace Bridge.Core.Delivery;

/// <summary>An upstream quota's counting window (a UTC minute or a UTC day): its counter row's name and when it ends.</summary>
public sealed record QuotaWindow(string Key, DateTimeOffset End)
{
    public static QuotaWindow MinuteOf(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var start = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
        return new QuotaWindow("minute:" + start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), start.AddMinutes(1));
    }

    public static QuotaWindow DayOf(DateTimeOffset now)
    {
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return new QuotaWindow("day:" + start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), start.AddDays(1));
    }
}
