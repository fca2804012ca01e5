using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/v1/messages/{id}</c>.</summary>
public sealed class GetMessageFunction(MessageStatusEndpoint endpoint)
{
    [Function("GetMessage")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Message)] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, id, cancellationToken);
}
