using Bridge.Core.Delivery;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>Records messages the trigger gave up on and keeps them for replay.</summary>
public sealed class PoisonMessageFunction(PoisonHandler handler)
{
    [Function("PoisonMessage")]
    public Task Run(
        [QueueTrigger(QueueNames.Poison, Connection = StorageNames.ConnectionName)] string message,
        CancellationToken cancellationToken)
        => handler.HandleAsync(message, cancellationToken);
}
