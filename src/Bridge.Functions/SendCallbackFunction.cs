using Bridge.Core.Callbacks;
using Bridge.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>Drains the callbacks queue: POSTs each signed event to its key's callback URL (base64, as every Bridge queue).</summary>
public sealed class SendCallbackFunction(CallbackWorker worker)
{
    [Function("SendCallback")]
    public Task Run(
        [QueueTrigger(StorageNames.CallbacksQueue, Connection = StorageNames.ConnectionName)] string message,
        CancellationToken cancellationToken)
        => worker.HandleAsync(message, cancellationToken);
}
