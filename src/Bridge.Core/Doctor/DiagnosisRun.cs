using System.Net.Sockets;
using Bridge.Core.Delivery;
using Bridge.Core.Doctor.Checks;
using MailKit;
using MailKit.Net.Smtp;

namespace Bridge.Core.Doctor;

/// <summary>
/// One diagnosis, check by check, on one connection. The raw early checks (DNS, TCP, the greeting) use
/// plain sockets, so what the server really sends can be named; the greeting is only peeked at, and
/// MailKit then reads it again on the same socket and runs EHLO, TLS, AUTH and the envelope exactly as
/// delivery would. Each step stops at the profile's timeout; the first failure ends the run and the
/// remaining steps are reported as skipped. The checks and their order are in <see cref="DiagnosisPlan"/>.
/// </summary>
internal sealed class DiagnosisRun(DiagnosisTarget target, SmtpLogin login, TimeProvider time, CancellationToken cancellationToken) : IAsyncDisposable
{
    private readonly DiagnosisSession session = new(target, login, time, cancellationToken);

    public async Task<Diagnosis> RunAsync()
    {
        var started = time.GetTimestamp();
        var profile = target.Profile;
        foreach (var check in DiagnosisPlan.Checks(profile.Security))
        {
            if (!await check.RunAsync(session).ConfigureAwait(false))
            {
                break;
            }
        }

        await QuitAsync().ConfigureAwait(false);
        return new Diagnosis(target.ProfileName, profile.Host, profile.Port, profile.Security, profile.Username,
            InOrderWithSkipped(), session.Transcript.Lines(session.SecretForms), time.GetElapsedTime(started));
    }

    public ValueTask DisposeAsync() => session.DisposeAsync();

    private async Task QuitAsync()
    {
        if (!session.Client.IsConnected)
        {
            return;
        }

        try
        {
            using var quit = new StepDeadline(TimeSpan.FromSeconds(Math.Min(target.Profile.TimeoutSeconds, 5)), time, cancellationToken);
            await session.Client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or SmtpProtocolException
                                      or SmtpCommandException or ServiceNotConnectedException)
        {
            // Saying goodbye is best effort: the diagnosis is already complete.
        }
    }

    /// <summary>Every step, in the order this security mode meets them; those never reached say why.</summary>
    private List<StepReport> InOrderWithSkipped()
    {
        var reports = session.Reports;
        var failed = reports.FirstOrDefault(r => r.Verdict == StepVerdict.Failed);
        return DiagnosisPlan.Steps(target.Profile.Security)
            .Select(step => reports.FirstOrDefault(r => r.Step == step)
                            ?? new StepReport(step, StepVerdict.Skipped, TimeSpan.Zero,
                                failed is null ? "Not run." : $"Not run: the {failed.Step.Title()} step failed."))
            .ToList();
    }
}
