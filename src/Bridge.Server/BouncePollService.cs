using Bridge.Core.Bounces;
using Microsoft.Extensions.Options;

namespace Bridge.Server;

/// <summary>Reads the profiles' bounce mailboxes every Bridge:Bounces:PollSeconds, as the Functions timer does.</summary>
public sealed class BouncePollService(BouncePoller poller, IOptions<BounceOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        do
        {
            // The poller logs and survives whatever a mailbox or storage does.
            await poller.PollAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
