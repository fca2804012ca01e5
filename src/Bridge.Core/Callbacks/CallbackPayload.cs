using System.Text.Json;
using System.Text.Json.Serialization;
using Bridge.Core.Events;

namespace Bridge.Core.Callbacks;

/// <summary>
/// The body Bridge POSTs: <c>{"type": "message.sent", "timestamp": ..., "data": {"id", "status", "to", "smtp", ...}}</c>.
/// <c>to</c> is the one recipient a per-recipient event is about, otherwise the message's recipients. <c>tags</c> and
/// <c>metadata</c> are the message's as sent, so a receiver can match an event to its own records without a lookup (as
/// SendGrid's and Postmark's webhooks carry custom args and Metadata). Nothing in it is a secret: it is what the client sent.
/// </summary>
public sealed record CallbackPayload(
    string Type,
    DateTimeOffset Timestamp,
    CallbackPayloadData Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <param name="message">The message's facts, or null when it could not be read (then <c>to</c> is empty unless the event names a recipient).</param>
    public static string Build(CallbackItem item, MessageRecord? message) => JsonSerializer.Serialize(
        new CallbackPayload(
            CallbackEvents.TypeName(item.Type),
            item.At,
            new CallbackPayloadData(
                item.MessageId,
                item.Status,
                item.Recipient is { } recipient ? [recipient] : message?.To ?? [],
                item.SmtpCode is { } code ? new CallbackSmtp(code, item.SmtpReply ?? "") : null,
                item.Detail,
                message?.Tags,
                message?.Metadata)),
        Json);

    /// <summary>Reads a body back (the CLI and tests); null when it is not one.</summary>
    public static CallbackPayload? Parse(string body) => JsonSerializer.Deserialize<CallbackPayload>(body, Json);
}

/// <summary>The <c>data</c> of a callback.</summary>
public sealed record CallbackPayloadData(
    string Id,
    string Status,
    IReadOnlyList<string> To,
    CallbackSmtp? Smtp,
    string? Detail,
    IReadOnlyList<string>? Tags,
    IReadOnlyDictionary<string, string>? Metadata);

/// <summary>The SMTP reply an event carries.</summary>
public sealed record CallbackSmtp(int Code, string Reply);
