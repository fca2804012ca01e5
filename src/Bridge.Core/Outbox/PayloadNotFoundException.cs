namespace Bridge.Core.Outbox;

/// <summary>
/// The envelope names a payload blob that is not there: accept writes it at the same time as the queue
/// message, so it may still be on its way; or the message is finished and its payload deleted.
/// </summary>
public sealed class PayloadNotFoundException(string messageId, Exception inner)
    : Exception($"The payload of message {messageId} is not in Blob storage.", inner)
{
    public string MessageId { get; } = messageId;
}
