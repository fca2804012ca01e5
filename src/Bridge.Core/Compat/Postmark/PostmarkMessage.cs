using System.Text.Json.Serialization;
using Bridge.Core.Messages;

namespace Bridge.Core.Compat.Postmark;

/// <summary>
/// The body of Postmark's <c>POST /email</c> (and each item of <c>/email/batch</c>), as its SDKs write it. Address
/// fields are comma-separated strings. Open and link tracking are read so that switching them on is refused, not
/// ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PostmarkMessage
{
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Cc { get; init; }
    public string? Bcc { get; init; }
    public string? ReplyTo { get; init; }
    public string? Subject { get; init; }
    public string? HtmlBody { get; init; }
    public string? TextBody { get; init; }
    public IReadOnlyList<PostmarkHeader?>? Headers { get; init; }
    public IReadOnlyList<PostmarkAttachment?>? Attachments { get; init; }

    /// <summary>Becomes the message's one tag.</summary>
    public string? Tag { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Names the Bridge SMTP profile; Postmark's default stream, <c>outbound</c>, is the default profile.</summary>
    public string? MessageStream { get; init; }

    public bool? TrackOpens { get; init; }
    public string? TrackLinks { get; init; }
}

/// <summary>A custom header as Postmark writes it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PostmarkHeader(string? Name, string? Value);

/// <summary>An attachment; one with a <c>ContentID</c> (<c>cid:logo.png</c> or <c>logo.png</c>) is an inline image.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PostmarkAttachment
{
    public string? Name { get; init; }

    [JsonConverter(typeof(Base64BytesJsonConverter))]
    public byte[]? Content { get; init; }

    public string? ContentType { get; init; }

    [JsonPropertyName("ContentID")]
    public string? ContentId { get; init; }

    /// <summary>The decoded size, which some SDKs send; when sent it must match the content.</summary>
    public long? ContentLength { get; init; }
}

/// <summary>Postmark's answer for a message: accepted (<c>ErrorCode</c> 0) or refused (with its code).</summary>
public sealed record PostmarkResult(
    [property: JsonPropertyName("To"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? To,
    [property: JsonPropertyName("SubmittedAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SubmittedAt,
    [property: JsonPropertyName("MessageID"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MessageId,
    [property: JsonPropertyName("ErrorCode")] int ErrorCode,
    [property: JsonPropertyName("Message")] string Message);
