using System.Text.Json.Serialization;

namespace Bridge.Core.Messages;

/// <summary>The body of <c>POST /api/v1/messages</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendRequest
{
    public AddressInput? From { get; init; }
    public IReadOnlyList<AddressInput>? To { get; init; }
    public IReadOnlyList<AddressInput>? Cc { get; init; }
    public IReadOnlyList<AddressInput>? Bcc { get; init; }
    public IReadOnlyList<AddressInput>? ReplyTo { get; init; }
    public string? Subject { get; init; }

    /// <summary>The plain-text body, a JSON string kept as UTF-8 bytes from the request to the MIME part.</summary>
    public Utf8Text? Text { get; init; }

    /// <summary>The HTML body, kept as UTF-8 bytes as <see cref="Text"/> is.</summary>
    public Utf8Text? Html { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }
    public IReadOnlyList<AttachmentInput>? Attachments { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public string? Profile { get; init; }

    /// <summary>When to send (RFC 3339, at most 7 days ahead); absent or past: now. A string, so a bad value is a field error.</summary>
    public string? SendAt { get; init; }

    /// <summary>
    /// The file parts of a <c>multipart/form-data</c> send, spooled to disk; never read from JSON (the serializer
    /// skips a JSON field of this name).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<UploadedFile>? Uploads { get; init; }

    /// <summary>Gives the bodies' pooled arrays back (<see cref="Utf8Text.Release"/>), once the message's MIME is rendered or it was refused.</summary>
    internal void ReleaseBodies()
    {
        Text?.Release();
        Html?.Release();
    }
}
