using System.Globalization;
using System.Text;
using Bridge.Core.Events;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Visibility;

/// <summary>
/// The filters of <c>GET /api/v1/messages</c>, parsed from the query string. Addresses compare as bare
/// addresses ignoring case; <c>since</c> is inclusive, <c>until</c> exclusive.
/// </summary>
public sealed record MessageQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    private const string CursorVersion = "1|";

    public MessageStatus? Status { get; init; }
    public string? To { get; init; }
    public string? From { get; init; }
    public string? Tag { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The row key the page starts at (inclusive); empty for the first page.</summary>
    public string Start { get; init; } = "";

    /// <summary>Whether some filter is checked on the rows read (so a request reads a full batch, not just a page).</summary>
    public bool Narrows => Status is not null || To is not null || From is not null || Tag is not null;

    /// <summary>Parses the query string; fills <paramref name="errors"/> (parameter → message) for each bad parameter.</summary>
    public static MessageQuery? Parse(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var parsed = new MessageQuery
        {
            To = Text(query, "to") is { } to ? AddressText.Bare(to) : null,
            From = Text(query, "from") is { } from ? AddressText.Bare(from) : null,
            Tag = Text(query, "tag"),
        };
        if (Text(query, "status") is { } status)
        {
            if (Enum.TryParse<MessageStatus>(status, ignoreCase: true, out var value) && !int.TryParse(status, out _))
            {
                parsed = parsed with { Status = value };
            }
            else
            {
                errors["status"] = [$"Unknown status '{status}'; one of {string.Join(", ", Enum.GetValues<MessageStatus>().Select(s => s.ToWire()))}."];
            }
        }

        parsed = parsed with { Since = Moment(query, "since", errors), Until = Moment(query, "until", errors) };
        if (Text(query, "limit") is { } limit)
        {
            if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MaxLimit)
            {
                parsed = parsed with { Limit = value };
            }
            else
            {
                errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
            }
        }

        if (Text(query, "cursor") is { } cursor)
        {
            if (DecodeCursor(cursor) is { } start)
            {
                parsed = parsed with { Start = start };
            }
            else
            {
                errors["cursor"] = ["The cursor is not one this API returned; start again without it."];
            }
        }

        return errors.Count == 0 ? parsed : null;
    }

    /// <summary>An opaque cursor that resumes just after <paramref name="rowKey"/>.</summary>
    public static string EncodeCursor(string rowKey) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(CursorVersion + rowKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The start key a cursor stands for, or null if it is not a cursor this API made.</summary>
    public static string? DecodeCursor(string cursor)
    {
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(bytes, 0, written);
        return text.StartsWith(CursorVersion, StringComparison.Ordinal) && MessageIndex.IsRowKey(text[CursorVersion.Length..])
            ? After(text[CursorVersion.Length..])
            : null;
    }

    /// <summary>The smallest key after <paramref name="rowKey"/>: row keys hold only digits, a colon and hex, all above '!'.</summary>
    public static string After(string rowKey) => rowKey + "!";

    /// <summary>Whether <paramref name="entry"/> passes the filters the index keys do not apply.</summary>
    public bool Matches(IndexEntry entry) =>
        (Status is null || entry.Status == Status)
        && (From is null || entry.FromAddress == From)
        && (To is null || entry.ToAddresses.Contains(To, StringComparer.Ordinal))
        && (Tag is null || entry.Tags.Contains(Tag, StringComparer.OrdinalIgnoreCase));

    /// <summary>The first row key of the range: the cursor's, or where <see cref="Until"/> puts it, whichever is later.</summary>
    public string RangeStart()
    {
        var untilKey = Until is { } until ? MessageIndex.TimeKey(until.AddTicks(-1)) : "";
        return string.CompareOrdinal(Start, untilKey) >= 0 ? Start : untilKey;
    }

    /// <summary>The row key the range ends before: every message accepted at <see cref="Since"/> or later is before it.</summary>
    public string RangeEnd() => Since is { } since ? MessageIndex.TimeKey(since) + ";" : "~";

    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.ToString().Trim() is { Length: > 0 } value ? value : null;

    private static DateTimeOffset? Moment(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            && value > DateTimeOffset.MinValue.AddDays(1) && value < DateTimeOffset.MaxValue.AddDays(-1))
        {
            return value;
        }

        errors[name] = [$"{name} must be a date and time (RFC 3339, e.g. 2026-12-07T09:00:00Z)."];
        return null;
    }
}
