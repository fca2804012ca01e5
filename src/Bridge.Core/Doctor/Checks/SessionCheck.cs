using Bridge.Core.Delivery;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bridge.Core.Doctor.Checks;

/// <summary>
/// StartTls and None: MailKit reads the greeting (still on the socket), sends EHLO and, for StartTls,
/// upgrades. Reports the EHLO and TLS steps.
/// </summary>
internal sealed class SessionCheck : IDiagnosisCheck
{
    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        var profile = session.Profile;
        var transcript = session.Transcript;
        var started = session.Now;
        var options = SmtpLogin.SocketOptions(profile.Security);
        using var deadline = session.Deadline();
        try
        {
            await session.Client.ConnectAsync(session.Connection!, profile.Host, profile.Port, options, deadline.Token).ConfigureAwait(false);
        }
        catch (NotSupportedException e) when (options == SecureSocketOptions.StartTls)
        {
            // MailKit's word for "EHLO did not list STARTTLS"; the capabilities are still known.
            SessionFindings.ReportCapabilities(session, started, null);
            return session.Fail(DiagnosisStep.Tls, session.Now, "The server does not offer STARTTLS, and the profile requires it.",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Connect)?.Hint);
        }
        catch (SslHandshakeException e)
        {
            SessionFindings.ReportCapabilities(session, started, transcript.StartTlsSentAt);
            return SessionFindings.FailHandshake(session, transcript.StartTlsSentAt ?? started, e, sawPlainGreeting: false);
        }
        catch (Exception e) when (DiagnosisSession.IsSessionFailure(e, deadline))
        {
            if (transcript.StartTlsSentAt is not { } startTls)
            {
                return session.Fail(DiagnosisStep.Ehlo, started, session.Describe(e),
                    e is SmtpCommandException ? DoctorFixes.EhloRefused : DiagnosisSession.FixFor(e, DiagnosisStep.Ehlo));
            }

            SessionFindings.ReportCapabilities(session, started, startTls);
            return session.Fail(DiagnosisStep.Tls, startTls, session.Describe(e),
                e is SmtpCommandException ? DoctorFixes.StartTlsRefused : DiagnosisSession.FixFor(e, DiagnosisStep.Tls));
        }

        SessionFindings.ReportCapabilities(session, started, transcript.StartTlsSentAt);
        return profile.Security == SmtpSecurity.StartTls
            ? SessionFindings.ReportTls(session, transcript.StartTlsSentAt ?? session.Now, session.Now)
            : SessionFindings.ReportUnencrypted(session);
    }
}
