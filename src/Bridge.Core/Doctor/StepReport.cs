namespace Bridge.Core.Doctor;

/// <summary>One step of a diagnosis: what was seen, how long it took and, when it failed, what to fix.</summary>
public sealed record StepReport(DiagnosisStep Step, StepVerdict Verdict, TimeSpan Duration, string Summary)
{
    /// <summary>The fix in plain words, for a failure or a warning.</summary>
    public string? Fix { get; init; }

    /// <summary>Facts worth showing beside the summary (capabilities, mechanisms, replies).</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>The server's certificate, on the TLS step when one was presented.</summary>
    public CertificateReport? Certificate { get; init; }
}
