using Bridge.Core.Http;
using Bridge.Core.Suppressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/v1/suppressions</c>.</summary>
public sealed class ListSuppressionsFunction(SuppressionsEndpoint endpoint)
{
    [Function("ListSuppressions")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Suppressions)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.ListAsync(request, cancellationToken);
}
