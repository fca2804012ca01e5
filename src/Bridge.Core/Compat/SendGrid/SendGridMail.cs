using System.Text.Json;
using System.Text.Json.Serialization;
using Bridge.Core.Messages;

namespace Bridge.Core.Compat.SendGrid;

/// <summary>
/// The body of SendGrid's v3 <c>POST /v3/mail/send</c>, as its SDKs write it (snake_case). The features Bridge has
/// no counterpart for (templates, sections, unsubscribe groups, batches, settings that switch something on) are
/// read too, so that a request using them is refused by name instead of sent without them.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendGridMail
{
    public IReadOnlyList<SendGridPersonalization?>? Personalizations { get; init; }
    public SendGridAddress? From { get; init; }

    [JsonPropertyName("reply_to")]
    public SendGridAddress? ReplyTo { get; init; }

    [JsonPropertyName("reply_to_list")]
    public IReadOnlyList<SendGridAddress?>? ReplyToList { get; init; }

    public string? Subject { get; init; }
    public IReadOnlyList<SendGridContent?>? Content { get; init; }
    public IReadOnlyList<SendGridAttachment?>? Attachments { get; init; }
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Become the message's tags.</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>Become the message's metadata.</summary>
    [JsonPropertyName("custom_args")]
    public IReadOnlyDictionary<string, string>? CustomArgs { get; init; }

    /// <summary>Unix seconds; becomes the message's <c>sendAt</c>.</summary>
    [JsonPropertyName("send_at")]
    public long? SendAt { get; init; }

    /// <summary>Names the Bridge SMTP profile to send through (SendGrid's choice of sending infrastructure).</summary>
    [JsonPropertyName("ip_pool_name")]
    public string? IpPoolName { get; init; }

    [JsonPropertyName("template_id")]
    public JsonElement? TemplateId { get; init; }

    public JsonElement? Sections { get; init; }
    public JsonElement? Asm { get; init; }

    [JsonPropertyName("batch_id")]
    public JsonElement? BatchId { get; init; }

    [JsonPropertyName("mail_settings")]
    public JsonElement? MailSettings { get; init; }

    [JsonPropertyName("tracking_settings")]
    public JsonElement? TrackingSettings { get; init; }
}

/// <summary>One personalization: its recipients and what it overrides. Each becomes one Bridge message.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendGridPersonalization
{
    public IReadOnlyList<SendGridAddress?>? To { get; init; }
    public IReadOnlyList<SendGridAddress?>? Cc { get; init; }
    public IReadOnlyList<SendGridAddress?>? Bcc { get; init; }
    public SendGridAddress? From { get; init; }
    public string? Subject { get; init; }
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    [JsonPropertyName("custom_args")]
    public IReadOnlyDictionary<string, string>? CustomArgs { get; init; }

    [JsonPropertyName("send_at")]
    public long? SendAt { get; init; }

    public JsonElement? Substitutions { get; init; }

    [JsonPropertyName("dynamic_template_data")]
    public JsonElement? DynamicTemplateData { get; init; }
}

/// <summary>An address as SendGrid writes it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendGridAddress(string? Email, string? Name);

/// <summary>A body part: <c>text/plain</c> or <c>text/html</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendGridContent(string? Type, string? Value);

/// <summary>An attachment; <c>disposition: inline</c> with a <c>content_id</c> is an inline image.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendGridAttachment
{
    [JsonConverter(typeof(Base64BytesJsonConverter))]
    public byte[]? Content { get; init; }

    public string? Type { get; init; }
    public string? Filename { get; init; }
    public string? Disposition { get; init; }

    [JsonPropertyName("content_id")]
    public string? ContentId { get; init; }
}

/// <summary>SendGrid's error body: <c>{"errors": [{"message", "field", "help"}]}</c>.</summary>
public sealed record SendGridErrors([property: JsonPropertyName("errors")] IReadOnlyList<SendGridError> Errors);

/// <summary>One error; <c>field</c> and <c>help</c> are null when there is nothing to name, as SendGrid writes them.</summary>
public sealed record SendGridError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("help")] string? Help);
