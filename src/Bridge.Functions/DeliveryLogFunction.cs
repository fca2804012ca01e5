using Bridge.Core.Http;
using Bridge.Core.Visibility;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>GET /api/ui</c>: the delivery log page.</summary>
public sealed class DeliveryLogFunction(DeliveryLogEndpoint endpoint)
{
    [Function("DeliveryLog")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Ui)] HttpRequest request) => endpoint.Handle();
}
