using MimeKit;

namespace Bridge.Core.Messages;

/// <summary>A send request that passed validation: addresses parsed, attachments decoded.</summary>
public sealed record ValidatedMessage(
    MailboxAddress From,
    IReadOnlyList<MailboxAddress> To,
    IReadOnlyList<MailboxAddress> Cc,
    IReadOnlyList<MailboxAddress> Bcc,
    IReadOnlyList<MailboxAddress> ReplyTo,
    string Subject,
    Utf8Text? Text,
    Utf8Text? Html,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<ValidatedAttachment> Attachments,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Metadata,
    string Profile,
    DateTimeOffset? SendAt = null)
{
    /// <summary>Every envelope recipient (To, Cc and Bcc), each once.</summary>
    public IReadOnlyList<MailboxAddress> Recipients =>
        To.Concat(Cc).Concat(Bcc).DistinctBy(m => m.Address, StringComparer.OrdinalIgnoreCase).ToList();
}

/// <summary>A decoded attachment.</summary>
public sealed record ValidatedAttachment(string FileName, ContentType ContentType, byte[] Content, string? ContentId)
{
    /// <summary>An uploaded file part's bytes, read from its spool file when the MIME is rendered; <see cref="Content"/> is then empty.</summary>
    public Stream? Upload { get; init; }
}
