using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>DELETE /api/v1/messages/{id}</c>.</summary>
public sealed class CancelMessageFunction(CancelEndpoint endpoint)
{
    [Function("CancelMessage")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Message)] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, id, cancellationToken);
}
