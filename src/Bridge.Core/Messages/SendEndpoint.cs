using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Messages;

/// <summary><c>POST /api/v1/messages</c>: authenticate, read, submit, answer.</summary>
public sealed class SendEndpoint(ApiGate gate, JsonBody body, MessageSubmission submission)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var admission = gate.Admit(request, ApiScope.Send);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        IdempotencyKey? idempotencyKey = null;
        var presentedKey = request.Headers[IdempotencyKey.HeaderName];
        if (presentedKey.Count > 0 && (presentedKey.Count > 1 || !IdempotencyKey.IsWellFormed(presentedKey[0] ?? "")))
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                [IdempotencyKey.HeaderName] = ["must be one value of 1 to 255 printable ASCII characters"],
            });
        }

        var read = await body.ReadAsync<SendRequest>(request, cancellationToken).ConfigureAwait(false);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        if (presentedKey.Count == 1)
        {
            idempotencyKey = new IdempotencyKey(presentedKey[0]!, read.Sha256);
        }

        try
        {
            return await submission.SubmitAsync(caller, read.Value!, idempotencyKey, cancellationToken).ConfigureAwait(false) switch
            {
                SubmissionResult.Accepted accepted => AcceptedMessage.Result(accepted.Id),
                SubmissionResult.Invalid invalid => Problems.Validation(invalid.Errors.ToDictionary()),
                SubmissionResult.Forbidden forbidden => Problems.Forbidden(forbidden.Violation.Rule, forbidden.Violation.Detail),
                SubmissionResult.QuotaExceeded exceeded => Problems.RateLimited(
                    $"API key '{caller.KeyName}' has sent its {caller.MessagesPerDay} messages for today (UTC).", exceeded.RetryAfter),
                SubmissionResult.IdempotencyConflict => Problems.Problem(StatusCodes.Status409Conflict, "idempotency-conflict",
                    "This Idempotency-Key was used with a different body.",
                    "Within 24 hours a key stands for one request; use a new key for a different message."),
                SubmissionResult.IdempotencyInProgress => Problems.Problem(StatusCodes.Status409Conflict, "idempotency-in-progress",
                    "A request with this Idempotency-Key is still being handled.", "Retry shortly to get its answer.", retryAfterSeconds: 2),
                _ => throw new InvalidOperationException("Unknown submission result."),
            };
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not accept the message; nothing was queued. Retry shortly.");
        }
    }

}

