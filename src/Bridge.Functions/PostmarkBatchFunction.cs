using Bridge.Core.Compat.Postmark;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>Postmark's batch send, for its SDKs (<see cref="ApiRoutes.PostmarkBatch"/>).</summary>
public sealed class PostmarkBatchFunction(PostmarkBatchEndpoint endpoint)
{
    [Function("PostmarkBatch")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PostmarkBatch)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, cancellationToken);
}
