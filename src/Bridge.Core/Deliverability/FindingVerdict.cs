namespace Bridge.Core.Deliverability;

/// <summary>What one deliverability check found.</summary>
public enum FindingVerdict
{
    Passed,

    /// <summary>Mail goes out, but receivers may junk it, or the check could not tell.</summary>
    Warning,

    /// <summary>Not run (nothing configured to check).</summary>
    Skipped,

    Failed,
}
