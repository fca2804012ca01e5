using Bridge.Core.Diagnostics;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/metrics</c> (admin): the cost counters, when <c>Bridge:Diagnostics:Metrics</c> is on.</summary>
public sealed class MetricsFunction(IServiceProvider services)
{
    [Function("Metrics")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Metrics)] HttpRequest request)
        => MetricsEndpoint.HandleIfEnabled(request, services);
}
