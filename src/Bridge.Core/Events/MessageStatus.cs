namespace Bridge.Core.Events;

/// <summary>Where a message is: <c>queued → sending → sent | deferred → sending … | failed | poisoned</c>.</summary>
public enum MessageStatus
{
    Queued,
    Sending,
    Deferred,
    Sent,
    Failed,
    Poisoned,
}

public static class MessageStatusExtensions
{
    public static bool IsTerminal(this MessageStatus status) =>
        status is MessageStatus.Sent or MessageStatus.Failed or MessageStatus.Poisoned;

    public static string ToWire(this MessageStatus status) => status.ToString().ToLowerInvariant();
}
