using System.Text;
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

        output.WriteLine();
        var warnings = diagnosis.Steps.Count(s => s.Verdict == StepVerdict.Warning);
        if (diagnosis.FailedStep is { } failed)
        {
            WriteWrapped(output, "", $"✗ Failed at {failed.Step.Title()}: {failed.Summary}");
        }
        else
        {
            output.WriteLine($"✓ Every step passed in {Milliseconds(diagnosis.Duration)} ms" + (warnings > 0 ? $", with {warnings} warning(s)." : "."));
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
