using Bridge.Core.Events;

namespace Bridge.Core.Delivery;

/// <summary>A classified failure: what happened, what the server said (if anything) and how to fix it.</summary>
public sealed record DeliveryFailure(FailureKind Kind, SmtpReply? Reply, string Detail, string? Hint = null)
{
    public string Describe() => Hint is null ? Detail : $"{Detail} {Hint}";
}
