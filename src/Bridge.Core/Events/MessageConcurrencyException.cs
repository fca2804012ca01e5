namespace Bridge.Core.Events;

/// <summary>Someone else changed the message since it was read (the ETag guard fired).</summary>
public sealed class MessageConcurrencyException(string messageId, Exception inner)
    : Exception($"Message {messageId} was changed by another writer.", inner)
{
    public string MessageId { get; } = messageId;
}
