using System.Globalization;
using Bridge.Core.Events;

namespace Bridge.Core.Callbacks;

/// <summary>
/// One event to POST, as it waits on the callbacks queue. The first attempt builds the body; retries carry it, so
/// every attempt sends the same bytes under the same <see cref="WebhookId"/> (receivers deduplicate by it).
/// Holds no secret and no URL: both are looked up from the key's configuration at each attempt.
/// </summary>
public sealed record CallbackItem
{
    /// <summary>The message id and the event's place in its timeline: the same event always gets the same id.</summary>
    public required string WebhookId { get; init; }

    public required string MessageId { get; init; }

    /// <summary>The name of the key that sent the message, whose callback URL and secret are used.</summary>
    public required string Key { get; init; }

    /// <summary>The event's wire type (<c>sent</c>); the payload calls it <c>message.sent</c>.</summary>
    public required string Type { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The message's status once the event was written.</summary>
    public required string Status { get; init; }

    public int? SmtpCode { get; init; }
    public string? SmtpReply { get; init; }
    public string? Recipient { get; init; }
    public string? Detail { get; init; }

    /// <summary>The event's place in the timeline, which names the attempt's side row.</summary>
    public int Sequence { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The JSON body, once the first attempt has built it.</summary>
    public string? Body { get; init; }

    /// <summary>The tag of this attempt's <c>callback</c> row: one per event and attempt, so a redelivered queue message writes it once.</summary>
    public string RowTag => string.Create(CultureInfo.InvariantCulture, $"callback-{Sequence:D6}-{Attempt:D2}");

    public static CallbackItem For(DeliveryState state, MessageEvent e, int sequence, string key) => new()
    {
        WebhookId = string.Create(CultureInfo.InvariantCulture, $"msg_{state.Id}_{sequence:D6}"),
        MessageId = state.Id,
        Key = key,
        Type = e.Type.ToWire(),
        At = e.At,
        Status = state.Status.ToWire(),
        SmtpCode = e.Smtp?.Code,
        SmtpReply = e.Smtp?.Reply,
        Recipient = e.Recipient,
        Detail = e.Detail,
        Sequence = sequence,
    };
}
