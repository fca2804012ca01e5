namespace Bridge.Core.Events;

/// <summary>The kinds of entry in a message's timeline.</summary>
public enum MessageEventType
{
    Accepted,
    Attempt,
    Deferred,
    Sent,
    Rejected,
    Failed,
    Poisoned,
    Replayed,
}
