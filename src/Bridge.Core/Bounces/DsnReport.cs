namespace Bridge.Core.Bounces;

/// <summary>
/// What a delivery status notification (RFC 3464) says: the original message's Message-ID (from its returned
/// headers; null when it returned none), the reporting server, and one entry per recipient.
/// </summary>
public sealed record DsnReport(string? OriginalMessageId, string? ReportingMta, IReadOnlyList<DsnRecipient> Recipients);

/// <summary>One per-recipient group: <c>Final-Recipient</c>, <c>Action</c>, <c>Status</c> and <c>Diagnostic-Code</c>.</summary>
public sealed record DsnRecipient(string Address, string Action, string? Status, string? Diagnostic)
{
    /// <summary>Only <c>failed</c> is a bounce; <c>delayed</c>, <c>delivered</c>, <c>relayed</c> and <c>expanded</c> are news, not failures.</summary>
    public bool IsFailed => string.Equals(Action, "failed", StringComparison.OrdinalIgnoreCase);
}
