using Bridge.Core.Auth;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Messages;

/// <summary>The HTTP answers of the send endpoints (one message, or each item of a batch) for what became of a request.</summary>
public static class SubmissionAnswers
{
    /// <summary>
    /// Reads the optional <c>Idempotency-Key</c> header into <paramref name="key"/> (null when absent); returns the
    /// problem to answer with when it is malformed.
    /// </summary>
    public static IResult? ReadIdempotencyKey(HttpRequest request, out string? key)
    {
        key = null;
        var presented = request.Headers[IdempotencyKey.HeaderName];
        if (presented.Count == 0)
        {
            return null;
        }

        if (presented.Count > 1 || !IdempotencyKey.IsWellFormed(presented[0] ?? ""))
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                [IdempotencyKey.HeaderName] = ["must be one value of 1 to 255 printable ASCII characters"],
            });
        }

        key = presented[0];
        return null;
    }

    /// <summary>The problem answer for a request that was not accepted.</summary>
    public static IResult Refusal(ApiCaller caller, SubmissionResult result) => result switch
    {
        SubmissionResult.Invalid invalid => Problems.Validation(invalid.Errors.ToDictionary()),
        SubmissionResult.Forbidden forbidden => Problems.Forbidden(forbidden.Violation.Rule, forbidden.Violation.Detail),
        SubmissionResult.QuotaExceeded exceeded => Problems.RateLimited(
            $"API key '{caller.KeyName}' has sent its {caller.MessagesPerDay} messages for today (UTC).", exceeded.RetryAfter),
        SubmissionResult.RateLimited limited => Problems.RateLimited(
            $"API key '{caller.KeyName}' may send {caller.RequestsPerSecond} messages a second; a batch counts each one.", limited.RetryAfter),
        SubmissionResult.Unavailable => Problems.Unavailable("Storage did not accept the message; nothing of it was queued. Retry shortly."),
        SubmissionResult.IdempotencyConflict => Problems.Problem(StatusCodes.Status409Conflict, "idempotency-conflict",
            "This Idempotency-Key was used with a different body.",
            "Within 24 hours a key stands for one request; use a new key for a different message."),
        SubmissionResult.IdempotencyInProgress => Problems.Problem(StatusCodes.Status409Conflict, "idempotency-in-progress",
            "A request with this Idempotency-Key is still being handled.", "Retry shortly to get its answer.", retryAfterSeconds: 2),
        _ => throw new InvalidOperationException($"{result.GetType().Name} is not a refusal."),
    };
}
