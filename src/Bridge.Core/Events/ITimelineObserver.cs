namespace Bridge.Core.Events;

/// <summary>
/// Told of every event <see cref="MessageStore"/> commits to a timeline, after the commit: the one place later
/// features (callbacks) hear of events, whichever code wrote them, without the writers knowing about them.
/// </summary>
public interface ITimelineObserver
{
    /// <summary>Called once per committed change that appended events. A failure is logged by the store, not thrown to the writer.</summary>
    Task RecordedAsync(DeliveryState state, IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken);
}
