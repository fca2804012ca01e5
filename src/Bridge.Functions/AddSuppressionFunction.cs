using Bridge.Core.Http;
using Bridge.Core.Suppressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>PUT /api/v1/suppressions/{email}</c>.</summary>
public sealed class AddSuppressionFunction(SuppressionsEndpoint endpoint)
{
    [Function("AddSuppression")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.Suppression)] HttpRequest request,
        string email,
        CancellationToken cancellationToken)
        => endpoint.PutAsync(request, email, cancellationToken);
}
