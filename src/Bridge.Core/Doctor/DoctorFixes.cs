using Bridge.Core.Delivery;
using MailKit.Net.Smtp;

namespace Bridge.Core.Doctor;

/// <summary>
/// The doctor's advice, in plain words, for what only a step-by-step look can see. Advice that
/// delivery gives too comes from <see cref="SmtpFailureClassifier"/>, so both say the same thing.
/// </summary>
internal static class DoctorFixes
{
    public const string DnsLookupFailed =
        "The DNS lookup failed: check Host for typos, and this machine's network and DNS settings.";

    public const string ConnectTimedOut =
        "The connection attempt got no answer, so it is likely blocked by a firewall or the host (many cloud " +
        "providers block outbound SMTP ports, 25 above all); try 587 or 465, or ask the host to open the port.";

    public const string ServerClosedAtOnce =
        "The server hung up at once: it may refuse clients from this address, or the port expects TLS first " +
        "(then use SslOnConnect).";

    public const string GreetingRefused =
        "The server refused this client before any command: it may block or rate-limit this machine's IP " +
        "address (ask the provider), or this port is not for mail submission.";

    public const string SilentServer =
        "The server (or something in between, such as a firewall or an antivirus proxy) holds the connection " +
        "without speaking SMTP. Try again later; if it stays silent, try the provider's other port (587 or 465).";

    public const string NoTlsAnswer =
        "The port accepted the connection but never answered the TLS handshake: check Port and Security " +
        "(465 expects SslOnConnect; 587 expects StartTls).";

    public const string StoppedAnswering =
        "The server stopped answering: it may be overloaded, or something in between drops the connection. " +
        "Try again, or try the provider's other port (587 or 465).";

    public const string EhloRefused =
        "The server refuses this client's EHLO and HELO: it may block this machine's IP address or want a " +
        "proper host name. Ask the provider.";

    public const string StartTlsRefused =
        "The server could not start TLS just now (a 454 reply is temporary): try again later, or ask the provider.";

    public const string NoSender = "Give a sender address to test with (\"from\" in the API, --from in the CLI): an address this account may send as.";

    public const string TemporaryRefusal = "A temporary refusal (greylisting, a rate limit or a busy server): try again later.";

    public static string ConnectionRefused(SmtpProfile profile) =>
        $"Nothing accepts connections on port {profile.Port} at {profile.Host}: check Port (mail submission is usually " +
        "587 with StartTls, or 465 with SslOnConnect) and that the server is running.";

    public static string Unreachable(SmtpProfile profile) =>
        $"This machine has no route to {profile.Host}: check its network, VPN and firewall rules.";

    public static string NotSmtp(SmtpProfile profile) =>
        $"Something other than an SMTP server answers on port {profile.Port}: check Host and Port.";

    /// <summary>A STARTTLS (or plain) profile met a port that wants TLS from the first byte.</summary>
    public static string ExpectsImplicitTls(SmtpProfile profile) =>
        SmtpFailureClassifier.PortSecurityMismatchHint(profile)
        ?? $"Port {profile.Port} speaks implicit TLS: set Security to SslOnConnect (as port 465 expects SslOnConnect), " +
           "or use the provider's STARTTLS port, 587, with StartTls.";

    /// <summary>An implicit-TLS profile met a port that greets in plain text.</summary>
    public static string ExpectsStartTls(SmtpProfile profile) =>
        SmtpFailureClassifier.PortSecurityMismatchHint(profile)
        ?? $"Port {profile.Port} greets in plain text and upgrades with STARTTLS: set Security to StartTls, " +
           "or use port 465 with SslOnConnect.";

    public static string ConnectionBroke(DiagnosisStep step) =>
        $"The server closed or broke the connection during {step.Title()}: try again; if it keeps happening, check Port and Security.";

    public static string NoAuthMechanism(bool secure) => secure
        ? "This server may not need a login here (then remove Username), or logins are taken on another port (587 or 465)."
        : "Many servers offer AUTH only after STARTTLS: use Security StartTls.";

    public static string UnreadableSecret(string? secretName) =>
        $"Check that this process may read the secret '{secretName}' (in Key Vault: the 'Key Vault Secrets User' role " +
        "for its identity; locally: 'az login' or Bridge:Secrets).";

    public static string Certificate(CertificateReport certificate, SmtpProfile profile)
    {
        var advice = new List<string>();
        if (!string.IsNullOrWhiteSpace(profile.TrustedCertificateThumbprint))
        {
            advice.Add($"The pinned TrustedCertificateThumbprint does not match the server's certificate (SHA-256 {certificate.Sha256}); " +
                       "if the certificate was renewed on purpose, pin the new one.");
        }

        if (certificate.Problems.Any(p => p.StartsWith("it is not issued for", StringComparison.Ordinal)))
        {
            advice.Add(certificate.Names.Count > 0
                ? $"Connect by a name on the certificate ({string.Join(", ", certificate.Names)}) rather than '{profile.Host}'."
                : "Set Host to the name the certificate was issued for.");
        }

        if (certificate.Problems.Any(p => p.Contains("expired", StringComparison.Ordinal)))
        {
            advice.Add("The certificate is out of date: the server's operator must renew it.");
        }

        if (certificate.Problems.Any(p => p.Contains("self-signed", StringComparison.Ordinal) || p.Contains("authority", StringComparison.Ordinal))
            && string.IsNullOrWhiteSpace(profile.TrustedCertificateThumbprint))
        {
            advice.Add("A provider's server has a certificate from a public authority, so check Host: this may be the wrong server, " +
                       $"or a proxy in between. For a test server you run yourself, pin it: TrustedCertificateThumbprint = {certificate.Sha256}.");
        }

        return advice.Count > 0 ? string.Join(" ", advice) : "Check the server's certificate, Host and Security.";
    }

    public static string EnvelopeRefused(SmtpCommandException refusal, string sender, string recipient, string? classifierHint)
    {
        if (classifierHint is not null)
        {
            return classifierHint;
        }

        if ((int)refusal.StatusCode is >= 400 and < 500)
        {
            return TemporaryRefusal;
        }

        if (refusal.ErrorCode == SmtpErrorCode.SenderNotAccepted)
        {
            return $"The server will not let this account send as {sender}: use an address the account owns or a verified " +
                   "sender or domain (and list it in the profile's AllowedFrom).";
        }

        return refusal.Message.Contains("relay", StringComparison.OrdinalIgnoreCase)
            ? "The server refuses to relay for this client: it wants a login (Username and PasswordSecret), or this sender may not relay."
            : $"The server will not take mail for {recipient}: check the address, or test with a recipient at another domain.";
    }
}
