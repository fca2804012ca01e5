namespace Bridge.Core.Delivery;

/// <summary>Every recipient was refused at RCPT TO, so DATA was never sent.</summary>
public sealed class NoRecipientsAcceptedException(IReadOnlyList<RejectedRecipient> rejected)
    : Exception($"The server refused every recipient ({rejected.Count}).")
{
    public IReadOnlyList<RejectedRecipient> Rejected { get; } = rejected;
}
