using Bridge.Core.Http;
using Bridge.Core.Visibility;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/v1/messages</c>.</summary>
public sealed class ListMessagesFunction(MessageListEndpoint endpoint)
{
    [Function("ListMessages")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Messages)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, cancellationToken);
}
