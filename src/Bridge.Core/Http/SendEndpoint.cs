using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Http;

/// <summary><c>POST /api/v1/messages</c>: authenticate, read, submit, answer.</summary>
public sealed class SendEndpoint(ApiKeyAuthenticator authenticator, JsonBody body, MessageSubmission submission)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (authenticator.Authenticate(request) is not { } caller)
        {
            return Problems.Unauthorized();
        }

        if (!caller.Has(ApiScope.Send))
        {
            return Problems.Forbidden("scope-required", $"API key '{caller.KeyName}' lacks the '{ApiScope.Send}' scope.");
        }

        var (sendRequest, problem) = await body.ReadAsync<SendRequest>(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            return await submission.SubmitAsync(caller, sendRequest!, cancellationToken).ConfigureAwait(false) switch
            {
                SubmissionResult.Accepted accepted => AcceptedMessage.Result(accepted.Id),
                SubmissionResult.Invalid invalid => Problems.Validation(invalid.Errors.ToDictionary()),
                SubmissionResult.Forbidden forbidden => Problems.Forbidden(forbidden.Violation.Rule, forbidden.Violation.Detail),
                _ => throw new InvalidOperationException("Unknown submission result."),
            };
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not accept the message; nothing was queued. Retry shortly.");
        }
    }

}

