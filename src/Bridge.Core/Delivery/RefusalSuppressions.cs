using Bridge.Core.Suppressions;

namespace Bridge.Core.Delivery;

/// <summary>
/// Which recipients an attempt's outcome suppresses for the sending key: those refused with a permanent mailbox
/// error (<see cref="MailboxError"/>) at RCPT TO, whether or not others were taken; and after DATA only when the
/// message had one recipient, since one reply to DATA for several recipients cannot say which mailbox it meant.
/// </summary>
public static class RefusalSuppressions
{
    public static IReadOnlyList<RejectedRecipient> Of(DeliveryResult result) => result switch
    {
        DeliveryResult.Sent sent => sent.Rejected.Where(Suppresses).ToList(),
        DeliveryResult.Failed { Failure: { RefusedAtData: true, Refused.Count: > 1 } } => [],
        DeliveryResult.Failed failed => failed.Failure.Refused.Where(Suppresses).ToList(),
        _ => [],
    };

    private static bool Suppresses(RejectedRecipient refused) =>
        MailboxError.Suppresses(refused.Reply) && SuppressedAddress.Normalize(refused.Address) is not null;
}
