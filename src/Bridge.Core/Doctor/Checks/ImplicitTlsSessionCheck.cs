using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bridge.Core.Doctor.Checks;

/// <summary>
/// SslOnConnect: the handshake comes first, then the greeting and EHLO inside TLS, all in one MailKit
/// call. Reports the TLS, greeting and EHLO steps.
/// </summary>
internal sealed class ImplicitTlsSessionCheck : IDiagnosisCheck
{
    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        var profile = session.Profile;
        var started = session.Now;
        using var deadline = session.Deadline();
        try
        {
            await session.Client.ConnectAsync(session.Connection!, profile.Host, profile.Port, SecureSocketOptions.SslOnConnect, deadline.Token)
                .ConfigureAwait(false);
        }
        catch (SslHandshakeException e)
        {
            var plain = GreetingSniff.Classify(session.Connection!.FirstBytesRead) is GreetingKind.Ready or GreetingKind.Refused;
            return SessionFindings.FailHandshake(session, started, e, plain);
        }
        catch (Exception e) when (DiagnosisSession.IsSessionFailure(e, deadline))
        {
            if (session.Certificates.SeenAt is not { } handshaken)
            {
                return e is OperationCanceledException
                    ? session.Fail(DiagnosisStep.Tls, started, $"No answer to the TLS handshake within {session.Seconds}.", DoctorFixes.NoTlsAnswer)
                    : session.Fail(DiagnosisStep.Tls, started, $"The TLS handshake failed: {session.Describe(e)}", DiagnosisSession.FixFor(e, DiagnosisStep.Tls));
            }

            SessionFindings.ReportTls(session, started, handshaken);
            if (session.Transcript.FirstServerReplyAt is not { } greeted)
            {
                return session.Fail(DiagnosisStep.Greeting, handshaken,
                    e is OperationCanceledException
                        ? $"TLS is up, but the server sent no greeting within {session.Seconds}."
                        : $"No greeting after TLS: {session.Describe(e)}",
                    e is OperationCanceledException ? DoctorFixes.SilentServer : DiagnosisSession.FixFor(e, DiagnosisStep.Greeting));
            }

            return ReportGreeting(session, handshaken, greeted)
                && session.Fail(DiagnosisStep.Ehlo, greeted, session.Describe(e),
                    e is SmtpCommandException ? DoctorFixes.EhloRefused : DiagnosisSession.FixFor(e, DiagnosisStep.Ehlo));
        }

        var tlsDone = session.Certificates.SeenAt ?? started;
        var greetedAt = session.Transcript.FirstServerReplyAt ?? tlsDone;
        SessionFindings.ReportTls(session, started, tlsDone);
        ReportGreeting(session, tlsDone, greetedAt);
        SessionFindings.ReportCapabilities(session, greetedAt, null);
        return true;
    }

    private static bool ReportGreeting(DiagnosisSession session, long from, long to)
    {
        var first = session.Transcript.FirstServerBytes ?? [];
        var line = GreetingSniff.Printable(first);
        return GreetingSniff.Classify(first) switch
        {
            GreetingKind.Ready => session.Report(new StepReport(DiagnosisStep.Greeting, StepVerdict.Passed, session.Between(from, to), line)),
            GreetingKind.Refused => session.Fail(DiagnosisStep.Greeting, from, $"The server turned the connection away: {line}", DoctorFixes.GreetingRefused),
            _ => session.Fail(DiagnosisStep.Greeting, from, $"What came after TLS is not an SMTP greeting: {line}", DoctorFixes.NotSmtp(session.Profile)),
        };
    }
}
