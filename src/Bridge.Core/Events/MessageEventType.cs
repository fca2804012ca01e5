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

    /// <summary>Sent again after an attempt that never recorded its outcome: the server may have the message twice.</summary>
    PossibleDuplicate,

    /// <summary>Accepted for a later time (<c>sendAt</c>); written with the message's facts, not as a row of its own.</summary>
    Scheduled,

    /// <summary>Canceled by its client before a worker took it.</summary>
    Canceled,

    /// <summary>Its profile's upstream quota was used up: deferred to the next window, not an attempt.</summary>
    Throttled,

    /// <summary>One attempt to POST another event to the sending key's callback URL; never changes the message's status.</summary>
    Callback,

    /// <summary>A recipient left out because the sending key has suppressed the address (an earlier mailbox error or bounce).</summary>
    Suppressed,

    /// <summary>A delivery status notification (a bounce) reported the message undeliverable to a recipient after it was sent.</summary>
    Bounced,
}

/// <summary>Event types as the API and the table write them: kebab-case (<c>possible-duplicate</c>).</summary>
public static class MessageEventTypes
{
    public static string ToWire(this MessageEventType type) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(type.ToString());

    public static MessageEventType FromWire(string wire) => Enum.Parse<MessageEventType>(wire.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
}
