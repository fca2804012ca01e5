namespace Bridge.Core.Messages;

/// <summary>Limits on what one send request may carry, bound from <c>Bridge:Limits</c>.</summary>
public sealed class MessageLimits
{
    public const string SectionName = "Bridge:Limits";

    public long MaxRequestBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>
    /// Largest file part of a <c>multipart/form-data</c> send: 25 MiB of the file itself, as users count it
    /// (the JSON body's limit counts an attachment base64-encoded, capping it at 18.7 MiB).
    /// </summary>
    public long MaxAttachmentBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Largest <c>multipart/form-data</c> body: one file of the largest size, plus room for the message part and framing.</summary>
    public long MaxUploadBytes { get; set; } = 26 * 1024 * 1024;
    public int MaxRecipients { get; set; } = 50;
    public int MaxSubjectLength { get; set; } = 998;
    public int MaxHeaders { get; set; } = 50;
    public int MaxHeaderValueLength { get; set; } = 998;
    public int MaxAttachments { get; set; } = 20;
    public int MaxTags { get; set; } = 10;
    public int MaxTagLength { get; set; } = 128;
    public int MaxMetadataEntries { get; set; } = 20;
    public int MaxMetadataValueLength { get; set; } = 1024;

    /// <summary>
    /// The message's metadata in all, as stored (compact JSON: keys, values, quotes and separators): SendGrid's own bound on
    /// custom args is 10,000 bytes. The per-entry limits alone would allow 20 x (128 + 1024) characters and more once raised.
    /// </summary>
    public int MaxMetadataLength { get; set; } = 10_000;
}
