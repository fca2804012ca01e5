using Bridge.Core.Events;

namespace Bridge.Core.Delivery;

/// <summary>The outcome of one delivery attempt.</summary>
public abstract record DeliveryResult
{
    private DeliveryResult()
    {
    }

    /// <summary>The profile that gave this outcome (the last one tried).</summary>
    public string? Profile { get; init; }

    /// <summary>Profiles tried before <see cref="Profile"/> in this attempt, each with why it was left for the next.</summary>
    public IReadOnlyList<ProfileFailover> FailedOver { get; init; } = [];

    /// <summary>The server accepted the message after DATA, for all but <see cref="Rejected"/>.</summary>
    public sealed record Sent(SmtpReply Reply, IReadOnlyList<RejectedRecipient> Rejected) : DeliveryResult;

    /// <summary>Nothing was accepted.</summary>
    public sealed record Failed(DeliveryFailure Failure) : DeliveryResult;
}

/// <summary>A profile that failed in a way that moves a message on to its next profile.</summary>
public sealed record ProfileFailover(string Profile, DeliveryFailure Failure);
