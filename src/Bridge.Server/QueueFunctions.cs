using Bridge.Core.Callbacks;
using Bridge.Core.Delivery;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Microsoft.Azure.WebJobs;

namespace Bridge.Server;

/// <summary>
/// The queue worker, hosted by Microsoft's WebJobs queue listener (the one the Functions host
/// loads): the same trigger, decoding and poison handling as Bridge.Functions.
/// </summary>
public sealed class QueueFunctions(DeliveryWorker worker, PoisonHandler poison, CallbackWorker callbacks)
{
    [FunctionName("DeliverMessage")]
    public Task DeliverMessage(
        [QueueTrigger(QueueNames.Outbound, Connection = StorageNames.ConnectionName)] string message,
        CancellationToken cancellationToken)
        => worker.DeliverAsync(message, cancellationToken);

    [FunctionName("PoisonMessage")]
    public Task PoisonMessage(
        [QueueTrigger(QueueNames.Poison, Connection = StorageNames.ConnectionName)] string message,
        CancellationToken cancellationToken)
        => poison.HandleAsync(message, cancellationToken);

    [FunctionName("SendCallback")]
    public Task SendCallback(
        [QueueTrigger(StorageNames.CallbacksQueue, Connection = StorageNames.ConnectionName)] string message,
        CancellationToken cancellationToken)
        => callbacks.HandleAsync(message, cancellationToken);
}
