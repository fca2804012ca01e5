using System.Security.Authentication;
using Bridge.Core.Delivery;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bridge.Core.Doctor.Checks;

/// <summary>The EHLO and TLS reports both ways of opening a session write (STARTTLS and implicit TLS).</summary>
internal static class SessionFindings
{
    public static bool FailHandshake(DiagnosisSession session, long from, SslHandshakeException e, bool sawPlainGreeting)
    {
        var profile = session.Profile;
        if (sawPlainGreeting)
        {
            var line = GreetingSniff.Printable(session.Connection!.FirstBytesRead);
            session.Transcript.Note($"the server sent in plain text: {line}");
            return session.Fail(DiagnosisStep.Tls, from,
                $"The server greeted in plain text ({line}) instead of starting TLS: this port speaks STARTTLS or plain SMTP.",
                DoctorFixes.ExpectsStartTls(profile));
        }

        if (session.Certificates.Seen is { Status: CertificateStatus.Untrusted } certificate)
        {
            return session.Fail(DiagnosisStep.Tls, from, $"The server's certificate is not trusted: {string.Join("; ", certificate.Problems)}.",
                DoctorFixes.Certificate(certificate, profile), certificate: certificate);
        }

        return session.Fail(DiagnosisStep.Tls, from, $"The TLS handshake failed: {ErrorText.FirstLine(e.InnerException?.Message ?? e.Message)}",
            SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Connect)?.Hint, certificate: session.Certificates.Seen);
    }

    public static void ReportCapabilities(DiagnosisSession session, long from, long? to)
    {
        var capabilities = SmtpCapabilityNames.Of(session.Client);
        session.Report(new StepReport(DiagnosisStep.Ehlo, StepVerdict.Passed, session.Between(from, to ?? session.Now),
            capabilities.Count == 0 ? "The server answered HELO only: no extensions." : "Capabilities: " + string.Join(", ", capabilities)));
    }

    public static bool ReportTls(DiagnosisSession session, long from, long to)
    {
        var client = session.Client;
        var protocol = SmtpCapabilityNames.Protocol(client.SslProtocol) + (client.SslCipherSuite is { } suite ? $" ({suite})" : "");
        var certificate = session.Certificates.Seen;
        var warnings = new List<string>();
        if ((int)client.SslProtocol is > 0 and < (int)SslProtocols.Tls12)
        {
            warnings.Add($"The server negotiated {protocol}, which is outdated: ask the provider for TLS 1.2 or later.");
        }

        var summary = protocol;
        if (certificate is not null)
        {
            summary += certificate.Status == CertificateStatus.Pinned
                ? "; the certificate is not trusted by this machine but pinned by TrustedCertificateThumbprint."
                : "; the certificate is trusted by this machine.";
            var left = certificate.NotAfter - session.Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                warnings.Add($"The certificate expired on {certificate.NotAfter:yyyy-MM-dd} and is accepted only because it is pinned: renew it.");
            }
            else if (left < TimeSpan.FromDays(14))
            {
                warnings.Add($"The certificate expires in {(int)left.TotalDays} days ({certificate.NotAfter:yyyy-MM-dd}): make sure it is renewed.");
            }
        }

        return session.Report(new StepReport(DiagnosisStep.Tls, warnings.Count > 0 ? StepVerdict.Warning : StepVerdict.Passed, session.Between(from, to), summary)
        {
            Fix = warnings.Count > 0 ? string.Join(" ", warnings) : null,
            Certificate = certificate,
        });
    }

    public static bool ReportUnencrypted(DiagnosisSession session) => session.Report(new StepReport(DiagnosisStep.Tls, StepVerdict.Warning, TimeSpan.Zero,
        "Security is None: nothing on this connection is encrypted.")
    {
        Fix = session.Client.Capabilities.HasFlag(SmtpCapabilities.StartTLS)
            ? "The server offers STARTTLS: set Security to StartTls so the login and the mail are encrypted."
            : "Use Security None only for a local test server.",
    });
}
