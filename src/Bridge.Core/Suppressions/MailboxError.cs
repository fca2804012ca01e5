using System.Text.RegularExpressions;
using Bridge.Core.Events;

namespace Bridge.Core.Suppressions;

/// <summary>
/// Which refusals suppress an address: a permanent failure whose enhanced status code (RFC 3463) says the
/// mailbox is bad (5.1.x addressing, 5.2.x mailbox). Policy and content refusals (5.7.x, 5.6.x, ...) say
/// nothing about the address, and a 5xx without an enhanced code cannot tell which it is: neither suppresses.
/// </summary>
public static partial class MailboxError
{
    /// <summary>The enhanced status code at the start of an SMTP reply's text, or null when it has none.</summary>
    public static string? EnhancedStatusOf(string? reply) =>
        reply is not null && EnhancedStatus().Match(reply.TrimStart()) is { Success: true } match ? match.Value : null;

    /// <summary>Whether an SMTP reply refuses the address for good.</summary>
    public static bool Suppresses(SmtpReply reply) =>
        reply.Code is >= 500 and < 600 && IsMailboxStatus(EnhancedStatusOf(reply.Reply));

    /// <summary>Whether an enhanced status code (a DSN's <c>Status</c>, say <c>5.1.1</c>) is a permanent mailbox error.</summary>
    public static bool IsMailboxStatus(string? status) =>
        status is not null && (status.StartsWith("5.1.", StringComparison.Ordinal) || status.StartsWith("5.2.", StringComparison.Ordinal))
                           && EnhancedStatus().Match(status) is { Success: true, Index: 0 } match && match.Length == status.Length;

    [GeneratedRegex(@"^[245]\.\d{1,3}\.\d{1,3}(?![\d.])")]
    private static partial Regex EnhancedStatus();
}
