using Bridge.Core.Http;
using Bridge.Core.Visibility;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/v1/messages/stats</c>.</summary>
public sealed class MessageStatsFunction(MessageListEndpoint endpoint)
{
    [Function("MessageStats")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.MessageStats)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleStatsAsync(request, cancellationToken);
}
