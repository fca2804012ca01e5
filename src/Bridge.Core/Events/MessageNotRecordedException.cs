namespace Bridge.Core.Events;

/// <summary>
/// The message has no record in the messages table: its accept has not written it yet, or failed to.
/// Delivery waits for it rather than send a message nobody was told is accepted.
/// </summary>
public sealed class MessageNotRecordedException(string messageId, Exception inner)
    : Exception($"Message {messageId} has no record.", inner)
{
    public string MessageId { get; } = messageId;
}
