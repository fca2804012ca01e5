using System.Text;
using Bridge.Core.Deliverability;
using Bridge.Core.Doctor;

namespace Bridge.Cli;

/// <summary>A diagnosis as people read it in a terminal: a mark, the time and what was seen per step, and the fix.</summary>
public static class DiagnosisReportWriter
{
    private const int Width = 100;
    private static readonly string Indent = new(' ', 24);

    public static void Write(Diagnosis diagnosis, TextWriter output, bool includeTranscript)
    {
        var user = diagnosis.Username is null ? "" : $", user {diagnosis.Username}";
        var target = diagnosis.Profile is null ? "inline profile" : $"profile '{diagnosis.Profile}'";
        output.WriteLine($"SMTP doctor: {target} → {diagnosis.Host}:{diagnosis.Port} ({diagnosis.Security}){user}");
        output.WriteLine();
        foreach (var step in diagnosis.Steps)
        {
            var elapsed = step.Verdict == StepVerdict.Skipped ? "" : $"{Milliseconds(step.Duration)} ms";
            WriteWrapped(output, $"  {Mark(step.Verdict)} {step.Step.Title(),-10}{elapsed,8}  ", step.Summary);
            foreach (var detail in step.Details)
            {
                WriteWrapped(output, Indent, detail);
            }

            if (step.Certificate is { } certificate)
            {
                WriteWrapped(output, Indent, $"Certificate: {certificate.Describe()}; SHA-256 {certificate.Sha256}");
            }

            if (step.Fix is { } fix)
            {
                WriteWrapped(output, Indent, "Fix: " + fix);
            }
        }

        WriteFindings(diagnosis.Deliverability, output);
        output.WriteLine();
        var warnings = diagnosis.Steps.Count(s => s.Verdict == StepVerdict.Warning)
                       + diagnosis.Deliverability.Count(f => f.Verdict == FindingVerdict.Warning);
        var failedChecks = diagnosis.Deliverability.Where(f => f.Verdict == FindingVerdict.Failed).Select(f => f.Check.ToUpperInvariant()).ToList();
        if (diagnosis.FailedStep is { } failed)
        {
            WriteWrapped(output, "", $"✗ Failed at {failed.Step.Title()}: {failed.Summary}");
        }
        else if (failedChecks.Count > 0)
        {
            WriteWrapped(output, "", $"✗ Deliverability: {string.Join(", ", failedChecks)} failed; each names its fix above.");
        }
        else
        {
            output.WriteLine($"✓ Every {(diagnosis.Steps.Count > 0 ? "step" : "check")} passed in {Milliseconds(diagnosis.Duration)} ms" + (warnings > 0 ? $", with {warnings} warning(s)." : "."));
        }

        if (includeTranscript && diagnosis.Transcript.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Transcript (AUTH and the password redacted):");
            foreach (var line in diagnosis.Transcript)
            {
                output.WriteLine("  " + line);
            }
        }
    }

    private static void WriteFindings(IReadOnlyList<DeliverabilityFinding> findings, TextWriter output)
    {
        if (findings.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Deliverability (DNS):");
        foreach (var finding in findings)
        {
            WriteWrapped(output, $"  {Mark(finding.Verdict)} {finding.Check.ToUpperInvariant(),-18}  ", finding.Summary);
            foreach (var detail in finding.Details)
            {
                WriteWrapped(output, Indent, detail);
            }

            if (finding.Fix is { } fix)
            {
                WriteWrapped(output, Indent, "Fix: " + fix);
            }

            if (finding.Record is { } record)
            {
                // Not wrapped: the value is copied into a DNS host's form as is.
                output.WriteLine($"{Indent}Publish: {record}");
            }
        }
    }

    public static string Mark(FindingVerdict verdict) => verdict switch
    {
        FindingVerdict.Passed => "✓",
        FindingVerdict.Warning => "!",
        FindingVerdict.Failed => "✗",
        _ => "-",
    };

    public static string Mark(StepVerdict verdict) => verdict switch
    {
        StepVerdict.Passed => "✓",
        StepVerdict.Warning => "!",
        StepVerdict.Failed => "✗",
        _ => "-",
    };

    private static long Milliseconds(TimeSpan duration) => (long)Math.Round(duration.TotalMilliseconds);

    /// <summary>Writes <paramref name="text"/> after <paramref name="lead"/>, wrapping at word boundaries under the lead.</summary>
    private static void WriteWrapped(TextWriter output, string lead, string text)
    {
        var room = Math.Max(40, Width - lead.Length);
        var line = new StringBuilder();
        var first = true;
        // Server replies can span lines; the report keeps its own layout.
        foreach (var word in text.ReplaceLineEndings(" ").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > room)
            {
                output.WriteLine((first ? lead : new string(' ', lead.Length)) + line);
                line.Clear();
                first = false;
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        output.WriteLine((first ? lead : new string(' ', lead.Length)) + line);
    }
}
