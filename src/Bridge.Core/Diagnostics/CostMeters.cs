using System.Diagnostics.Metrics;
using Bridge.Core.Delivery;
using Bridge.Core.Secrets;
using Bridge.Core.Telemetry;
using Microsoft.Extensions.Hosting;

namespace Bridge.Core.Diagnostics;

/// <summary>
/// Publishes the opt-in cost counters on the <c>Bridge</c> meter as observable counters, so the exporters and
/// <c>GET /api/metrics</c> (JSON and Prometheus) read the same totals. Created at start, so the OpenTelemetry
/// SDK sees them from the first export.
/// </summary>
public sealed class CostMeters(
    BridgeTelemetry telemetry,
    StorageRequestCounter storage,
    AzureSdkRequestObserver allClients,
    SecretCache secrets,
    SmtpConnectionPool smtp,
    MeterReader reader) : IHostedService
{
    /// <summary>The in-process reader, taken here so it listens from the start rather than from the first request.</summary>
    public MeterReader Reader => reader;

    public const string StorageRequests = "bridge.storage.requests";
    public const string SecretStoreReads = "bridge.secrets.store_reads";
    public const string SmtpConnectionsOpened = "bridge.smtp.connections.opened";
    public const string ScopeTag = "bridge.storage.scope";
    public const string OperationTag = "bridge.storage.operation";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        telemetry.Meter.CreateObservableCounter(StorageRequests, ObserveStorage, "{request}",
            "Storage requests by operation: scope \"bridge\" counts Bridge's own clients, \"all\" every Azure SDK client in the process.");
        telemetry.Meter.CreateObservableCounter(SecretStoreReads, () => secrets.StoreReads, "{read}",
            "Reads that reached the secret store (Key Vault), past the cache.");
        telemetry.Meter.CreateObservableCounter(SmtpConnectionsOpened, () => smtp.ConnectionsOpened, "{connection}",
            "SMTP connections opened to upstream servers.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> ObserveStorage() =>
        Observe("bridge", storage.Counts).Concat(Observe("all", allClients.Counts));

    private static IEnumerable<Measurement<long>> Observe(string scope, StorageRequestCounts counts) =>
        counts.Snapshot().Select(c => new Measurement<long>(c.Value,
            new KeyValuePair<string, object?>(ScopeTag, scope),
            new KeyValuePair<string, object?>(OperationTag, c.Key)));
}
