namespace Bridge.Core.Outbox;

/// <summary>Bound from <c>Bridge:Queue</c>.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Bridge:Queue";
    public const string DefaultName = "outbound-mail";

    public string Name { get; set; } = DefaultName;

    /// <summary>
    /// Bridge.Server only: how long a message its queue listener takes stays hidden from other copies, and so how
    /// long one held by a process that died waits before it is delivered again. Null keeps the listener's fixed
    /// 10 minutes (the Functions host's too, which has no such setting). The listener renews a message it still
    /// works on only after 5 minutes, so a delivery that takes longer than a shorter lease is handed to a second
    /// copy; that copy finds the first one's claim and waits for it, so nothing is sent twice, but it costs a copy.
    /// </summary>
    public TimeSpan? ListenerLease { get; set; }

    public static readonly TimeSpan MinListenerLease = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxListenerLease = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Send MIME over the inline limit Brotli-compressed inside the queue message when it fits so (see
    /// <see cref="OutboxEnvelope.MimeBrotli"/>). Turn it off while instances from before it still drain the queue:
    /// they cannot read such an envelope.
    /// </summary>
    public bool CompressInline { get; set; } = true;

    public string PoisonName => Name + "-poison";
}
