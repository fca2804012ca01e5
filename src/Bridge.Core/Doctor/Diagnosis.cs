using Bridge.Core.Deliverability;
using Bridge.Core.Delivery;

namespace Bridge.Core.Doctor;

/// <summary>
/// The result of diagnosing one SMTP profile: every step in order, and the SMTP dialogue with the
/// AUTH exchange and the password redacted.
/// </summary>
public sealed record Diagnosis(
    string? Profile,
    string Host,
    int Port,
    SmtpSecurity Security,
    string? Username,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<string> Transcript,
    TimeSpan Duration)
{
    /// <summary>The DNS checks of the sender's domain, when they were asked for.</summary>
    public IReadOnlyList<DeliverabilityFinding> Deliverability { get; init; } = [];

    /// <summary>No step or finding failed (warnings and skipped steps do not fail a diagnosis).</summary>
    public bool Passed => Steps.All(s => s.Verdict != StepVerdict.Failed) && Deliverability.All(f => f.Verdict != FindingVerdict.Failed);

    /// <summary>The first step that failed: where to look.</summary>
    public StepReport? FailedStep => Steps.FirstOrDefault(s => s.Verdict == StepVerdict.Failed);
}
