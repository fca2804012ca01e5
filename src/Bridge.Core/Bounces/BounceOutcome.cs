namespace Bridge.Core.Bounces;

/// <summary>What became of one DSN.</summary>
public enum BounceOutcome
{
    /// <summary>Matched to its message; a <c>bounced</c> event per failed recipient, hard bounces suppressed.</summary>
    Recorded,

    /// <summary>Matched, and every failed recipient already had its <c>bounced</c> event (the same DSN read again).</summary>
    AlreadyRecorded,

    /// <summary>Matched, but no recipient failed (a delay or success notice): nothing to record.</summary>
    NotFailed,

    /// <summary>A readable DSN that names no message Bridge knows (no original headers, a foreign Message-ID, a message gone).</summary>
    Unmatched,

    /// <summary>Not a DSN Bridge can read.</summary>
    Malformed,
}

/// <summary>Outcome names as the API and the metrics write them: kebab-case.</summary>
public static class BounceOutcomes
{
    public static string ToWire(this BounceOutcome outcome) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(outcome.ToString());

    /// <summary>A DSN handled for good, which is flagged seen in its mailbox; the rest stay unread for a person to look at.</summary>
    public static bool IsHandled(this BounceOutcome outcome) => outcome is BounceOutcome.Recorded or BounceOutcome.AlreadyRecorded or BounceOutcome.NotFailed;
}

/// <summary>One DSN's outcome: what happened, in words, the message it matched and its failed recipients.</summary>
public sealed record BounceResult(BounceOutcome Outcome, string Detail, string? MessageId = null, IReadOnlyList<BouncedRecipient>? Recipients = null);

/// <summary>A recipient a DSN reported failed, and whether the address is now suppressed for the message's key.</summary>
public sealed record BouncedRecipient(string Email, string? Status, string? Diagnostic, bool Suppressed);
