using Bridge.Core.Bounces;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>Reads the profiles' bounce mailboxes every Bridge:Bounces:PollSeconds (the timer ticks more often; the poller keeps the interval).</summary>
public sealed class PollBouncesFunction(BouncePoller poller)
{
    [Function("PollBounces")]
    public Task Run([TimerTrigger(BouncePoller.Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => poller.PollIfDueAsync(cancellationToken);
}
