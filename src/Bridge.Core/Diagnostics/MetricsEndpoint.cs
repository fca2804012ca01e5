using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Http;
using Bridge.Core.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Diagnostics;

/// <summary><c>GET /api/metrics</c> (admin scope): cost counters, served only when <c>Bridge:Diagnostics:Metrics</c> is true.</summary>
public sealed class MetricsEndpoint(
    ApiGate gate,
    StorageRequestCounter storage,
    AzureSdkRequestObserver allClients,
    SecretCache secrets,
    SmtpConnectionPool smtp)
{
    public const string Route = "metrics";

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

/// <summary>Maps the metrics route; a no-op unless metrics are switched on.</summary>
public static class MetricsEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapBridgeMetrics(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<DiagnosticsOptions>>().Value.Metrics)
        {
            endpoints.MapGet(MetricsEndpoint.Route, (HttpRequest request, MetricsEndpoint endpoint) => endpoint.Handle(request));
        }

        return endpoints;
    }
}
