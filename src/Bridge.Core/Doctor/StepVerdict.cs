namespace Bridge.Core.Doctor;

/// <summary>What one step of a diagnosis found.</summary>
public enum StepVerdict
{
    Passed,

    /// <summary>It works, but something deserves attention (an expiring certificate, an unencrypted connection).</summary>
    Warning,

    /// <summary>Not run: an earlier step failed, or it was not asked for.</summary>
    Skipped,

    Failed,
}
