namespace Bridge.Core.Events;

/// <summary>One entry in a message's timeline. Never carries a secret.</summary>
public sealed record MessageEvent(
    MessageEventType Type,
    DateTimeOffset At,
    SmtpReply? Smtp = null,
    string? Detail = null,
    string? Recipient = null,
    int? Attempt = null,
    string? Profile = null);
