using Bridge.Core.Bounces;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>POST /api/v1/bounces</c>.</summary>
public sealed class ReceiveBounceFunction(BouncesEndpoint endpoint)
{
    [Function("ReceiveBounce")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Bounces)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, cancellationToken);
}
