using Bridge.Core.Http;
using Bridge.Core.Hooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>POST /api/v1/hooks/{name}</c>: a platform's signed webhook, turned into a message by the hook's templates.</summary>
public sealed class HookFunction(HookEndpoint endpoint)
{
    [Function("ReceiveHook")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Hook)] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, name, cancellationToken);
}
