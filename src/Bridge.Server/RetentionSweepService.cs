using Bridge.Core.Housekeeping;

namespace Bridge.Server;

/// <summary>Runs the retention sweep hourly, as the Functions timer does.</summary>
public sealed partial class RetentionSweepService(RetentionSweeper sweeper, TimeProvider time, ILogger<RetentionSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await sweeper.SweepAsync(stoppingToken);
            }
            catch (Azure.RequestFailedException e)
            {
                LogSweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed; it runs again in an hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
