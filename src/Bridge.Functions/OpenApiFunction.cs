using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/openapi.json</c>: the OpenAPI document (the snapshot of Bridge.Server's generated one).</summary>
public sealed class OpenApiFunction(OpenApiDocumentEndpoint endpoint)
{
    [Function("OpenApi")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApi)] HttpRequest request) => endpoint.Handle();
}
