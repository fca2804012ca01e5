namespace Bridge.Core.Events;

/// <summary>One entry in a message's timeline. Never carries a secret. <see cref="HttpStatus"/> is a callback attempt's answer.</summary>
public sealed record MessageEvent(
    MessageEventType Type,
    DateTimeOffset At,
    SmtpReply? Smtp = null,
    string? Detail = null,
    string? Recipient = null,
    int? Attempt = null,
    string? Profile = null,
    int? HttpStatus = null);
