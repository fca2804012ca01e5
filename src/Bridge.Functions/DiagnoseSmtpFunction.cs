using Bridge.Core.Doctor;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary><c>POST /api/v1/smtp/diagnose</c>.</summary>
public sealed class DiagnoseSmtpFunction(DiagnoseEndpoint endpoint)
{
    [Function("DiagnoseSmtp")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Diagnose)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, cancellationToken);
}
