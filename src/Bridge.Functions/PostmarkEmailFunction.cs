using Bridge.Core.Compat.Postmark;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>Postmark's single send, for its SDKs (<see cref="ApiRoutes.PostmarkEmail"/>).</summary>
public sealed class PostmarkEmailFunction(PostmarkEmailEndpoint endpoint)
{
    [Function("PostmarkEmail")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PostmarkEmail)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, cancellationToken);
}
