using MimeKit;

namespace Bridge.Core.Bounces;

/// <summary>
/// Reads a DSN the way MTAs write them: a <c>multipart/report; report-type=delivery-status</c> holding a
/// <c>message/delivery-status</c> part (a per-message group, then one group per recipient) and the original's
/// headers (<c>text/rfc822-headers</c>) or whole message (<c>message/rfc822</c>). The report may be the mail itself
/// or, in a forwarded bounce, a part of it. Anything else is malformed, with the reason; nothing here throws for bad input.
/// </summary>
public static class DsnParser
{
    /// <summary>How deep to look for the report inside forwarded messages, so a crafted nesting cannot recurse without end.</summary>
    private const int MaxDepth = 8;

    public static DsnParse Parse(MimeEntity? entity)
    {
        try
        {
            if (Find(entity, 0) is not { } report)
            {
                return DsnParse.Malformed("It is not a delivery status notification (no multipart/report with report-type=delivery-status).");
            }

            if (report.OfType<MessageDeliveryStatus>().FirstOrDefault() is not { } status)
            {
                return DsnParse.Malformed("The report has no message/delivery-status part.");
            }

            var groups = status.StatusGroups;
            if (groups.Count < 2)
            {
                return DsnParse.Malformed("The delivery status names no recipient (it has no per-recipient group).");
            }

            var recipients = groups.Skip(1).Select(Recipient).OfType<DsnRecipient>().ToList();
            if (recipients.Count == 0)
            {
                return DsnParse.Malformed("No per-recipient group of the delivery status has a Final-Recipient and an Action.");
            }

            var original = report.OfType<MessagePart>().FirstOrDefault()?.Message;
            var messageId = original?.MessageId is { Length: > 0 } id ? id : null;
            return new DsnParse(new DsnReport(messageId, Value(groups[0]["Reporting-MTA"]), recipients), null);
        }
        catch (Exception e) when (e is ParseException or FormatException or ArgumentException)
        {
            return DsnParse.Malformed("The delivery status cannot be read: " + ErrorText.FirstLine(e.Message));
        }
    }

    private static MultipartReport? Find(MimeEntity? entity, int depth)
    {
        if (entity is null || depth > MaxDepth)
        {
            return null;
        }

        return entity switch
        {
            MultipartReport report when string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase) => report,
            Multipart multipart => multipart.Select(part => Find(part, depth + 1)).FirstOrDefault(found => found is not null),
            MessagePart { Message: { } inner } when entity is not TextRfc822Headers => Find(inner.Body, depth + 1),
            _ => null,
        };
    }

    private static DsnRecipient? Recipient(HeaderList group)
    {
        var address = Value(group["Final-Recipient"]) ?? Value(group["Original-Recipient"]);
        var action = group["Action"]?.Trim();
        return string.IsNullOrEmpty(address) || string.IsNullOrEmpty(action)
            ? null
            : new DsnRecipient(address, action.ToLowerInvariant(), group["Status"]?.Trim(), Value(group["Diagnostic-Code"]));
    }

    /// <summary>A typed field's value: <c>rfc822; bo@example.org</c> → <c>bo@example.org</c>, <c>smtp; 550 ...</c> → <c>550 ...</c>.</summary>
    private static string? Value(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        var semicolon = field.IndexOf(';', StringComparison.Ordinal);
        var value = (semicolon >= 0 ? field[(semicolon + 1)..] : field).Trim();
        // Folded lines keep their line breaks in the raw value.
        return string.Join(' ', value.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
    }
}

/// <summary>A parsed report, or why there is none.</summary>
public sealed record DsnParse(DsnReport? Report, string? Problem)
{
    public static DsnParse Malformed(string problem) => new(null, problem);
}
