using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Http;

/// <summary><c>POST /api/v1/messages/{id}/replay</c> (admin): put a poisoned message back on the queue.</summary>
public sealed class ReplayEndpoint(ApiKeyAuthenticator authenticator, PoisonReplay replay)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (authenticator.Authenticate(request) is not { } caller)
        {
            return Problems.Unauthorized();
        }

        if (!caller.Has(ApiScope.Admin))
        {
            return Problems.Forbidden("scope-required", $"API key '{caller.KeyName}' lacks the '{ApiScope.Admin}' scope.");
        }

        if (!MessageId.IsWellFormed(id))
        {
            return Problems.NotFound($"No message '{id}'.");
        }

        try
        {
            return await replay.ReplayAsync(id, cancellationToken).ConfigureAwait(false) switch
            {
                ReplayResult.Replayed => AcceptedMessage.Result(id),
                ReplayResult.NotFound => Problems.NotFound($"No message '{id}'."),
                ReplayResult.NotPoisoned => Problems.Problem(StatusCodes.Status409Conflict, "not-poisoned",
                    "Only poisoned messages can be replayed.", $"Message '{id}' is not poisoned; see its status for where it is."),
                _ => Problems.Problem(StatusCodes.Status409Conflict, "envelope-missing",
                    "The poisoned envelope is gone.", $"Message '{id}' has no saved envelope to replay (it may have expired)."),
            };
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; retry shortly.");
        }
    }
}
