using Bridge.Core.Delivery;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>POST /api/v1/messages/{id}/replay</c>.</summary>
public sealed class ReplayMessageFunction(ReplayEndpoint endpoint)
{
    [Function("ReplayMessage")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Replay)] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, id, cancellationToken);
}
