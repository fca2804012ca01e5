using Azure.Storage.Queues;

namespace Bridge.Core.Storage;

/// <summary>
/// The one place that decides how queue messages are encoded on the wire. The Functions queue
/// trigger (and the WebJobs listener in Bridge.Server) decode base64 by default, while the SDK
/// client sends plain text unless told otherwise: a mismatch silently poisons every message.
/// </summary>
public static class OutboxEncoding
{
    public const QueueMessageEncoding QueueMessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64;
}
