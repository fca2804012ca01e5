using Bridge.Core.Auth;

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
}
