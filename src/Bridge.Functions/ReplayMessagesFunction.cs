using Bridge.Core.Http;
using Bridge.Core.Visibility;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>POST /api/v1/messages/replay</c>.</summary>
public sealed class ReplayMessagesFunction(ReplayManyEndpoint endpoint)
{
    [Function("ReplayMessages")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ReplayMany)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, cancellationToken);
}
