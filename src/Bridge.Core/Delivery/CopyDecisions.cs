using Bridge.Core.Events;
using Bridge.Core.Outbox;

namespace Bridge.Core.Delivery;

/// <summary>
/// The rule that decides what a copy of an envelope does with the message it names, from the message's state,
/// the copy's attempt and the time alone. A queue delivers at least once, so copies of one attempt, copies of
/// an attempt already superseded, and copies of a finished message all arrive: only one copy may send.
/// </summary>
public static class CopyDecisions
{
    public static CopyDecision Decide(DeliveryState message, OutboxEnvelope envelope, DateTimeOffset now, TimeSpan maxAge)
    {
        // A later attempt has been made (or is waiting in the queue: a deferred message's next copy carries the
        // next attempt number), so this copy's attempt is over.
        if (message.Status.IsTerminal() || envelope.Attempt < message.Attempts
            || (envelope.Attempt == message.Attempts && message.Status == MessageStatus.Deferred))
        {
            return CopyDecision.Skip;
        }

        if (message.IsLeasedAt(now))
        {
            return CopyDecision.WaitForLease;
        }

        // Age counts from when the message was due, so a scheduled send is never late before its time.
        return now - envelope.DueAt > maxAge ? CopyDecision.Expire : CopyDecision.Send;
    }
}
