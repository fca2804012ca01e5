namespace Bridge.Core.Outbox;

/// <summary>
/// The envelope names a payload blob that is not there, or is empty: accept writes it at the same time as
/// the queue message, so it may still be on its way; or the message is finished and its payload deleted.
/// </summary>
public sealed class PayloadNotFoundException(string messageId, Exception? inner = null)
    : Exception($"The payload of message {messageId} is not in Blob storage, or not written yet.", inner)
{
    public string MessageId { get; } = messageId;
}
