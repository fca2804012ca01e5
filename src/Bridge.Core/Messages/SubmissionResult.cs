
namespace Bridge.Core.Messages;

/// <summary>What became of a send request.</summary>
public abstract record SubmissionResult
{
    private SubmissionResult()
    {
    }

    /// <summary>Durably queued, as <see cref="Status"/> (queued, or scheduled for later).</summary>
    public sealed record Accepted(string Id, Events.MessageStatus Status) : SubmissionResult;

    public sealed record Invalid(ValidationErrors Errors) : SubmissionResult;

    public sealed record Forbidden(PolicyViolation Violation) : SubmissionResult;

    /// <summary>The API key's daily message allowance is used up until <see cref="RetryAfter"/> has passed.</summary>
    public sealed record QuotaExceeded(TimeSpan RetryAfter) : SubmissionResult;

    /// <summary>A batch item over the key's requests-per-second rate (a batch counts each message).</summary>
    public sealed record RateLimited(TimeSpan RetryAfter) : SubmissionResult;

    /// <summary>A batch item whose writes storage refused: nothing of it was queued.</summary>
    public sealed record Unavailable : SubmissionResult;

    /// <summary>The idempotency key was used before with a different body.</summary>
    public sealed record IdempotencyConflict : SubmissionResult;

    /// <summary>The first request with this idempotency key has not finished yet.</summary>
    public sealed record IdempotencyInProgress : SubmissionResult;
}
