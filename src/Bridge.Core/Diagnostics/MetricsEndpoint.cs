using Bridge.Core.Auth;
using Bridge.Core.Http;
using Bridge.Core.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Bridge.Core.Diagnostics;

/// <summary>
/// <c>GET /api/metrics</c> (admin scope), served only when <c>Bridge:Diagnostics:Metrics</c> is true: the
/// <c>Bridge</c> meter read in process, as JSON (the cost counters) or, with <c>?format=prometheus</c> or
/// <c>Accept: text/plain</c>, every series in the Prometheus text format.
/// </summary>
/// <remarks>
/// Both hosts serve the route whether or not metrics are on, so their route tables stay the same. With metrics
/// off no <see cref="MeterReader"/> is registered (nothing listens to the meter) and the answer is 404.
/// </remarks>
public sealed class MetricsEndpoint(ApiGate gate, IEnumerable<MeterReader> readers)
{
    public const string FormatParameter = "format";

    private readonly MeterReader? meters = readers.SingleOrDefault();

    public IResult Handle(HttpRequest request)
    {
        if (meters is null)
        {
            return Problems.NotFound("Metrics are off; set Bridge:Diagnostics:Metrics to true to serve them.");
        }

        var admission = gate.Admit(request, ApiScope.Admin);
        if (admission.Caller is null)
        {
            return admission.Refusal!;
        }

        return WantsPrometheus(request) switch
        {
            true => TypedResults.Text(PrometheusText.Render(meters.Snapshot()), PrometheusText.ContentType),
            false => TypedResults.Ok(Snapshot()),
            null => Problems.Validation(new Dictionary<string, string[]>
            {
                [FormatParameter] = ["must be json or prometheus"],
            }),
        };
    }

    public MetricsSnapshot Snapshot()
    {
        var series = (meters ?? throw new InvalidOperationException("Metrics are off (Bridge:Diagnostics:Metrics).")).Snapshot();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new MetricsSnapshot(
            StorageRequests(series, "bridge"),
            StorageRequests(series, "all"),
            (long)series.Where(s => s.Name == CostMeters.SecretStoreReads).Sum(s => s.Value),
            (long)series.Where(s => s.Name == CostMeters.SmtpConnectionsOpened).Sum(s => s.Value),
            new ProcessUsage(
                process.WorkingSet64,
                process.PeakWorkingSet64,
                process.TotalProcessorTime.TotalMilliseconds,
                GC.GetTotalAllocatedBytes(precise: true),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                ThreadPool.ThreadCount,
                System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
                System.Runtime.JitInfo.GetCompiledMethodCount()));
    }

    /// <summary>True for Prometheus, false for JSON, null for a format this endpoint does not know.</summary>
    private static bool? WantsPrometheus(HttpRequest request)
    {
        if (request.Query.TryGetValue(FormatParameter, out var format))
        {
            return format.ToString().ToLowerInvariant() switch
            {
                "prometheus" => true,
                "json" => false,
                _ => null,
            };
        }

        // A scraper asks for text/plain (with a version); anything else, or no Accept at all, gets JSON as before.
        var accepts = request.GetTypedHeaders().Accept;
        return accepts.Count > 0
               && accepts.Any(a => a.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
               && !accepts.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
    }

    private static RequestCounts StorageRequests(IReadOnlyList<MetricSeries> series, string scope)
    {
        var operations = series
            .Where(s => s.Name == CostMeters.StorageRequests && s.Tags.Contains(KeyValuePair.Create(CostMeters.ScopeTag, scope)))
            .ToDictionary(s => s.Tags.Single(t => t.Key == CostMeters.OperationTag).Value, s => (long)s.Value, StringComparer.Ordinal);
        return new RequestCounts(operations.Values.Sum(), operations);
    }
}
