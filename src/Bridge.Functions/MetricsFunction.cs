using Bridge.Core.Diagnostics;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/metrics</c> (admin): the cost counters, when <c>Bridge:Diagnostics:Metrics</c> is on.</summary>
public sealed class MetricsFunction(MetricsEndpoint endpoint)
{
    [Function("Metrics")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Metrics)] HttpRequest request)
        => endpoint.Handle(request);
}
