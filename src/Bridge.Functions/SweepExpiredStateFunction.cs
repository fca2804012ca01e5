using Bridge.Core.Housekeeping;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>Hourly: removes payloads, idempotency keys and daily counters past their retention.</summary>
public sealed class SweepExpiredStateFunction(RetentionSweeper sweeper)
{
    [Function("SweepExpiredState")]
    public Task Run([TimerTrigger(RetentionSweeper.Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => sweeper.SweepAsync(cancellationToken);
}
