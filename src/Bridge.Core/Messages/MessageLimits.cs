namespace Bridge.Core.Messages;

/// <summary>Limits on what one send request may carry, bound from <c>Bridge:Limits</c>.</summary>
public sealed class MessageLimits
{
    public const string SectionName = "Bridge:Limits";

    public long MaxRequestBytes { get; set; } = 25 * 1024 * 1024;
    public int MaxRecipients { get; set; } = 50;
    public int MaxSubjectLength { get; set; } = 998;
    public int MaxHeaders { get; set; } = 50;
    public int MaxHeaderValueLength { get; set; } = 998;
    public int MaxAttachments { get; set; } = 20;
    public int MaxTags { get; set; } = 10;
    public int MaxTagLength { get; set; } = 128;
    public int MaxMetadataEntries { get; set; } = 20;
    public int MaxMetadataValueLength { get; set; } = 1024;
}
