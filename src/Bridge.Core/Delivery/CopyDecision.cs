namespace Bridge.Core.Delivery;

/// <summary>What a copy of a message's envelope does when the queue hands it over (see <see cref="CopyDecisions"/>).</summary>
public enum CopyDecision
{
    /// <summary>Claim the message and send it.</summary>
    Send,

    /// <summary>Nothing to do: the message is finished, or this copy is older than the attempt it stands for.</summary>
    Skip,

    /// <summary>Another copy holds the message under its lease: come back when the lease ends.</summary>
    WaitForLease,

    /// <summary>Too old to send: record the message failed.</summary>
    Expire,
}
