using Bridge.Core.Outbox;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>Hourly: removes claim-checked payloads past their retention.</summary>
public sealed class SweepPayloadsFunction(PayloadSweeper sweeper)
{
    [Function("SweepPayloads")]
    public Task Run([TimerTrigger(PayloadSweeper.Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => sweeper.SweepAsync(cancellationToken);
}
