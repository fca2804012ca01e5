using Bridge.Core.Events;

namespace Bridge.Core.Delivery;

/// <summary>A classified failure: what happened, what the server said (if anything) and how to fix it.</summary>
public sealed record DeliveryFailure(FailureKind Kind, SmtpReply? Reply, string Detail, string? Hint = null)
{
    /// <summary>
    /// The recipients the failure refused, each with its reply: every one at RCPT TO (none was taken), or, when
    /// <see cref="RefusedAtData"/>, those the server had taken before it refused the message after DATA.
    /// </summary>
    public IReadOnlyList<RejectedRecipient> Refused { get; init; } = [];

    /// <summary>The server refused the message after DATA, one reply for all its recipients.</summary>
    public bool RefusedAtData { get; init; }

    public string Describe() => Hint is null ? Detail : $"{Detail} {Hint}";
}
