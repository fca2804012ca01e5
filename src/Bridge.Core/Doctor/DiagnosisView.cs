using System.Text.Json.Serialization;
using Bridge.Core.Deliverability;

namespace Bridge.Core.Doctor;

/// <summary>The body of <c>POST /api/v1/smtp/diagnose</c>: each step with its verdict and fix, and the redacted transcript.</summary>
public sealed record DiagnosisView(
    string? Profile,
    string Host,
    int Port,
    string Security,
    string? Username,
    bool Passed,
    string? FailedStep,
    string? Fix,
    long DurationMs,
    IReadOnlyList<DiagnosisStepView> Steps,
    IReadOnlyList<string> Transcript,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FindingView>? Deliverability)
{
    public static DiagnosisView Of(Diagnosis diagnosis) => new(
        diagnosis.Profile, diagnosis.Host, diagnosis.Port, diagnosis.Security.ToString(), diagnosis.Username,
        diagnosis.Passed, diagnosis.FailedStep?.Step.Id(), diagnosis.FailedStep?.Fix, Milliseconds(diagnosis.Duration),
        diagnosis.Steps.Select(DiagnosisStepView.Of).ToList(), diagnosis.Transcript,
        diagnosis.Deliverability.Count > 0 ? diagnosis.Deliverability.Select(FindingView.Of).ToList() : null);

    internal static long Milliseconds(TimeSpan duration) => (long)Math.Round(duration.TotalMilliseconds);
}

/// <summary>One step as the API shows it.</summary>
public sealed record DiagnosisStepView(
    string Step,
    string Title,
    string Verdict,
    long DurationMs,
    string Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Fix,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Details,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CertificateView? Certificate)
{
    public static DiagnosisStepView Of(StepReport step) => new(
        step.Step.Id(), step.Step.Title(), step.Verdict.ToString().ToLowerInvariant(), DiagnosisView.Milliseconds(step.Duration),
        step.Summary, step.Fix, step.Details.Count > 0 ? step.Details : null, CertificateView.From(step.Certificate));
}

/// <summary>One deliverability finding as the API shows it; <c>record</c> is the DNS record to publish.</summary>
public sealed record FindingView(
    string Check,
    string Verdict,
    string Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Fix,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DnsRecordFix? Record,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Details)
{
    public static FindingView Of(DeliverabilityFinding finding) => new(
        finding.Check, finding.Verdict.ToString().ToLowerInvariant(), finding.Summary, finding.Fix, finding.Record,
        finding.Details.Count > 0 ? finding.Details : null);
}

/// <summary>The server certificate as the API shows it.</summary>
public sealed record CertificateView(
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256,
    IReadOnlyList<string> Names,
    string Status,
    IReadOnlyList<string> Problems)
{
    public static CertificateView? From(CertificateReport? certificate) => certificate is null
        ? null
        : new(certificate.Subject, certificate.Issuer, certificate.NotBefore, certificate.NotAfter, certificate.Sha256,
            certificate.Names, certificate.Status.ToString().ToLowerInvariant(), certificate.Problems);
}
