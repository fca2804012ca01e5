namespace Bridge.Core.Messages;

/// <summary>An attachment as posted; <see cref="Content"/> is base64.</summary>
public sealed record AttachmentInput
{
    public string? Filename { get; init; }
    public string? ContentType { get; init; }
    public string? Content { get; init; }

    /// <summary>When set, the part is an inline image referenced from the HTML as <c>cid:</c>.</summary>
    public string? ContentId { get; init; }
}
