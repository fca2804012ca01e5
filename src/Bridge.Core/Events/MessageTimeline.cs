namespace Bridge.Core.Events;

/// <summary>A message's state with its events in order.</summary>
public sealed record MessageTimeline(MessageRecord Message, IReadOnlyList<MessageEvent> Events);
