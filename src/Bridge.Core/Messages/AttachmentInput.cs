using System.Text.Json.Serialization;

namespace Bridge.Core.Messages;

/// <summary>An attachment as posted.</summary>
public sealed record AttachmentInput
{
    public string? Filename { get; init; }
    public string? ContentType { get; init; }

    /// <summary>
    /// The bytes, posted as base64. Decoded straight from the JSON buffer, never through a string,
    /// so a 25 MB attachment does not cost a 66 MB UTF-16 copy on the way in.
    /// </summary>
    [JsonConverter(typeof(Base64BytesJsonConverter))]
    public byte[]? Content { get; init; }

    /// <summary>When set, the part is an inline image referenced from the HTML as <c>cid:</c>.</summary>
    public string? ContentId { get; init; }
}
