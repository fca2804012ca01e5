namespace Bridge.Core.Events;

/// <summary>
/// Where a message is: <c>(scheduled →) queued → sending → sent | deferred → sending … | failed | poisoned</c>;
/// a scheduled or queued message may be <c>canceled</c> instead.
/// </summary>
public enum MessageStatus
{
    Queued,
    Sending,
    Deferred,
    Sent,
    Failed,
    Poisoned,

    /// <summary>Accepted with a <c>sendAt</c> still ahead.</summary>
    Scheduled,

    /// <summary>Canceled by its client before a worker took it.</summary>
    Canceled,
}

public static class MessageStatusExtensions
{
    public static bool IsTerminal(this MessageStatus status) =>
        status is MessageStatus.Sent or MessageStatus.Failed or MessageStatus.Poisoned or MessageStatus.Canceled;

    /// <summary>Whether a cancel may still stop the message: no worker has taken it yet.</summary>
    public static bool IsCancelable(this MessageStatus status) => status is MessageStatus.Queued or MessageStatus.Scheduled;

    public static string ToWire(this MessageStatus status) => status.ToString().ToLowerInvariant();
}
