using Bridge.Core.Http;
using Bridge.Core.Suppressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>DELETE /api/v1/suppressions/{email}</c>.</summary>
public sealed class RemoveSuppressionFunction(SuppressionsEndpoint endpoint)
{
    [Function("RemoveSuppression")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Suppression)] HttpRequest request,
        string email,
        CancellationToken cancellationToken)
        => endpoint.DeleteAsync(request, email, cancellationToken);
}
