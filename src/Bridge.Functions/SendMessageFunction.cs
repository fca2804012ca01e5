using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>POST /api/v1/messages</c>.</summary>
public sealed class SendMessageFunction(SendEndpoint endpoint)
{
    [Function("SendMessage")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Messages)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, cancellationToken);
}
