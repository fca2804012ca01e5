namespace Bridge.Core.Outbox;

/// <summary>Bound from <c>Bridge:Queue</c>.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Bridge:Queue";
    public const string DefaultName = "outbound-mail";

    public string Name { get; set; } = DefaultName;

    /// <summary>
    /// Send MIME over the inline limit Brotli-compressed inside the queue message when it fits so (see
    /// <see cref="OutboxEnvelope.MimeBrotli"/>). Turn it off while instances from before it still drain the queue:
    /// they cannot read such an envelope.
    /// </summary>
    public bool CompressInline { get; set; } = true;

    public string PoisonName => Name + "-poison";
}
