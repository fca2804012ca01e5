using Bridge.Core.Delivery;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>Drains the outbound queue. The trigger decodes base64 (host.json messageEncoding), as the sender encodes.</summary>
public sealed class DeliverMessageFunction(DeliveryWorker worker)
{
    [Function("DeliverMessage")]
    public Task Run(
        [QueueTrigger(QueueNames.Outbound, Connection = StorageNames.ConnectionName)] string message,
        CancellationToken cancellationToken)
        => worker.DeliverAsync(message, cancellationToken);
}
