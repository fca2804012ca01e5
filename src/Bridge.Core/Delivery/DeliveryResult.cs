using Bridge.Core.Events;

namespace Bridge.Core.Delivery;

/// <summary>The outcome of one delivery attempt.</summary>
public abstract record DeliveryResult
{
    private DeliveryResult()
    {
    }

    /// <summary>The server accepted the message after DATA, for all but <see cref="Rejected"/>.</summary>
    public sealed record Sent(SmtpReply Reply, IReadOnlyList<RejectedRecipient> Rejected) : DeliveryResult;

    /// <summary>Nothing was accepted.</summary>
    public sealed record Failed(DeliveryFailure Failure) : DeliveryResult;
}
