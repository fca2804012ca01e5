using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Health;

/// <summary><c>GET /api/health</c>: 200 when healthy, 503 naming the failing check. No auth, no secrets.</summary>
public sealed class HealthEndpoint(HealthChecker checker)
{
    public async Task<IResult> HandleAsync(CancellationToken cancellationToken)
    {
        var report = await checker.CheckAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(report, statusCode: report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
