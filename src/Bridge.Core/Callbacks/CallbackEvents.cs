using Bridge.Core.Events;

namespace Bridge.Core.Callbacks;

/// <summary>Which timeline events are POSTed to a key's callback URL, and under what name.</summary>
public static class CallbackEvents
{
    /// <summary>
    /// The contract's list, by wire name rather than enum value, so an event type another feature adds later
    /// (<c>bounced</c>, <c>suppressed</c>) is carried as soon as it is written, with no change here.
    /// </summary>
    public static bool IsCarried(MessageEventType type) =>
        type.ToWire() is "sent" or "deferred" or "failed" or "bounced" or "suppressed" or "poisoned" or "canceled";

    /// <summary>The payload's <c>type</c>: <c>message.sent</c>, <c>message.bounced</c>, ...</summary>
    public static string TypeName(string wireType) => "message." + wireType;
}
