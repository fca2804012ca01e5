using Bridge.Core.Health;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/health</c>.</summary>
public sealed class HealthFunction(HealthEndpoint endpoint)
{
    [Function("Health")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(cancellationToken);
}
