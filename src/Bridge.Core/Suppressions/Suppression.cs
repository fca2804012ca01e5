namespace Bridge.Core.Suppressions;

/// <summary>
/// One address a key no longer sends to: why (<see cref="Reason"/>: <c>smtp</c> a refusal while sending, <c>bounce</c>
/// a delivery status notification, <c>manual</c> an admin), the status that caused it and the message it came from.
/// </summary>
public sealed record Suppression(
    string Key,
    string Email,
    string Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null,
    string? Status = null,
    string? Diagnostic = null,
    string? MessageId = null)
{
    public const string FromSmtp = "smtp";
    public const string FromBounce = "bounce";
    public const string Manual = "manual";

    public bool IsActiveAt(DateTimeOffset now) => ExpiresAt is not { } until || now < until;
}
