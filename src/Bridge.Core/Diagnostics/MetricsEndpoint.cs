using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Http;
using Bridge.Core.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Core.Diagnostics;

/// <summary><c>GET /api/metrics</c> (admin scope): cost counters, served only when <c>Bridge:Diagnostics:Metrics</c> is true.</summary>
public sealed class MetricsEndpoint(
    ApiGate gate,
    StorageRequestCounter storage,
    AzureSdkRequestObserver allClients,
    SecretCache secrets,
    SmtpConnectionPool smtp)
{
    /// <summary>
    /// Both hosts serve the route whether or not metrics are on, so their route tables stay the same;
    /// with metrics off the counters are not registered and the answer is 404.
    /// </summary>
    public static IResult HandleIfEnabled(HttpRequest request, IServiceProvider services)
        => services.GetService<MetricsEndpoint>() is { } endpoint
            ? endpoint.Handle(request)
            : Problems.NotFound("Metrics are off; set Bridge:Diagnostics:Metrics to true to serve them.");

    public IResult Handle(HttpRequest request)
    {
        var admission = gate.Admit(request, ApiScope.Admin);
        return admission.Caller is null ? admission.Refusal! : TypedResults.Ok(Snapshot());
    }

    public MetricsSnapshot Snapshot()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new MetricsSnapshot(
            Counts(storage.Counts),
            Counts(allClients.Counts),
            secrets.StoreReads,
            smtp.ConnectionsOpened,
            new ProcessUsage(
                process.WorkingSet64,
                process.PeakWorkingSet64,
                process.TotalProcessorTime.TotalMilliseconds,
                GC.GetTotalAllocatedBytes(precise: true),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                ThreadPool.ThreadCount));
    }

    private static RequestCounts Counts(StorageRequestCounts counts)
    {
        var operations = counts.Snapshot();
        return new RequestCounts(operations.Values.Sum(), operations);
    }
}
