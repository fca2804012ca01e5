using Azure;
using Azure.Storage.Queues;
using Bridge.Core.Outbox;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// One copy of an envelope that a test put on the outbound queue itself, watched through the pop receipt the put
/// returned. Storage answers an update made with that receipt 400 (PopReceiptMismatch) once a worker has taken the
/// copy and 404 once the worker has finished with it and deleted it, so a test can wait for a decision that leaves
/// no other trace (a copy dropped or put back) without reading logs.
/// </summary>
internal sealed class QueuedCopy
{
    private readonly QueueClient queue;
    private readonly string messageId;
    private string popReceipt;

    private QueuedCopy(QueueClient queue, string messageId, string popReceipt)
    {
        this.queue = queue;
        this.messageId = messageId;
        this.popReceipt = popReceipt;
    }

    public static async Task<QueuedCopy> SendAsync(Azurite azurite, OutboxEnvelope envelope)
    {
        var queue = new QueueClient(azurite.ConnectionString, QueueOptions.DefaultName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var receipt = (await queue.SendMessageAsync(OutboxQueue.Serialize(envelope), TimeSpan.Zero, TimeSpan.FromSeconds(-1))).Value;
        return new QueuedCopy(queue, receipt.MessageId, receipt.PopReceipt);
    }

    /// <summary>Waits (bounded) until a worker has taken this copy and deleted it.</summary>
    public async Task WaitUntilHandledAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // Not taken yet: the update leaves it visible, and its receipt changes.
                popReceipt = (await queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: TimeSpan.Zero)).Value.PopReceipt;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return;
            }
            catch (RequestFailedException e) when (e.Status == 400 && e.ErrorCode == "PopReceiptMismatch")
            {
                // A worker holds it.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Queue message {messageId} was not handled within {timeout}.");
            }

            await Task.Delay(100);
        }
    }
}
