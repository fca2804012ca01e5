using Azure;
using Bridge.Core.Delivery;
using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Health;

/// <summary>Checks that storage answers and the SMTP profiles are valid.</summary>
public sealed class HealthChecker(StorageClients storage, IOptions<QueueOptions> queue, IOptions<SmtpOptions> smtp, ProfileCircuits circuits)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        // Both probes at once: when storage is away each waits out its timeout, and health should answer in one.
        var queueProbe = ProbeAsync(() => storage.Queues.GetQueueClient(queue.Value.Name).GetPropertiesAsync(cancellationToken));
        var tableProbe = ProbeAsync(() => storage.Tables.GetTableClient(StorageNames.MessagesTable)
            .GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", cancellationToken: cancellationToken));
        var checks = new Dictionary<string, string>
        {
            ["queue"] = await queueProbe.ConfigureAwait(false),
            ["table"] = await tableProbe.ConfigureAwait(false),
            ["profiles"] = new SmtpOptionsValidator().Validate(null, smtp.Value) is { Failed: true } failed
                ? failed.FailureMessage
                : "ok",
        };
        return new HealthReport(checks.Values.All(v => v == "ok") ? "healthy" : "unhealthy", checks) { OpenCircuits = circuits.Open() };
    }

    private static async Task<string> ProbeAsync<T>(Func<Task<T>> probe)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await probe().WaitAsync(timeout.Token).ConfigureAwait(false);
            return "ok";
        }
        catch (RequestFailedException e)
        {
            return $"storage answered {e.Status} ({e.ErrorCode})";
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or AggregateException or HttpRequestException or IOException)
        {
            return "storage did not answer";
        }
    }
}
