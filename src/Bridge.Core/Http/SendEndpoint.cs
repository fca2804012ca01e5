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
                SubmissionResult.Accepted accepted => Accepted(accepted.Id),
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

    private static IResult Accepted(string id)
    {
        var location = ApiRoutes.MessageLocation(id);
        return TypedResults.Accepted(location, new AcceptedMessage(id, "queued", new MessageLinks(location)));
    }
}

/// <summary>The 202 body.</summary>
public sealed record AcceptedMessage(string Id, string Status, MessageLinks Links);

/// <summary>Where to look next.</summary>
public sealed record MessageLinks(string Self);
