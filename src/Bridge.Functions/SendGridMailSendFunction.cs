using Bridge.Core.Compat.SendGrid;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Bridge.Functions;

/// <summary>SendGrid's v3 mail send, for its SDKs (<see cref="ApiRoutes.SendGridMailSend"/>).</summary>
public sealed class SendGridMailSendFunction(SendGridEndpoint endpoint)
{
    [Function("SendGridMailSend")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SendGridMailSend)] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.HandleAsync(request, cancellationToken);
}
