
namespace Bridge.Core.Messages;

/// <summary>What became of a send request.</summary>
public abstract record SubmissionResult
{
    private SubmissionResult()
    {
    }

    public sealed record Accepted(string Id) : SubmissionResult;

    public sealed record Invalid(ValidationErrors Errors) : SubmissionResult;

    public sealed record Forbidden(PolicyViolation Violation) : SubmissionResult;

    /// <summary>The API key's daily message allowance is used up until <see cref="RetryAfter"/> has passed.</summary>
    public sealed record QuotaExceeded(TimeSpan RetryAfter) : SubmissionResult;

    /// <summary>The idempotency key was used before with a different body.</summary>
    public sealed record IdempotencyConflict : SubmissionResult;

    /// <summary>The first request with this idempotency key has not finished yet.</summary>
    public sealed record IdempotencyInProgress : SubmissionResult;
}
