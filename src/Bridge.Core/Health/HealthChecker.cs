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
        var checks = new Dictionary<string, string>
        {
            ["queue"] = await ProbeAsync(() => storage.Queues.GetQueueClient(queue.Value.Name).GetPropertiesAsync(cancellationToken)).ConfigureAwait(false),
            ["table"] = await ProbeAsync(() => storage.Tables.GetTableClient(StorageNames.MessagesTable)
                .GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", cancellationToken: cancellationToken)).ConfigureAwait(false),
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
