using System.Globalization;
using System.Net.Sockets;
using Azure.Identity;
using Bridge.Core.Delivery.OAuth;
using Bridge.Core.Events;
using Bridge.Core.Secrets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bridge.Core.Delivery;

/// <summary>
/// Turns what went wrong talking to the upstream server into a <see cref="DeliveryFailure"/>: the
/// design's classification table, read top to bottom. Returns null for a crash (a bug, not the
/// server), which is left to the trigger's own retry and poison handling.
/// </summary>
public static class SmtpFailureClassifier
{
    public static DeliveryFailure? Classify(Exception error, SmtpProfile profile, SmtpPhase phase)
    {
        var mismatch = phase == SmtpPhase.Connect ? PortSecurityMismatchHint(profile) : null;
        return error switch
        {
            SecretNotFoundException e => new(FailureKind.Configuration, null, e.Message,
                $"Create the secret '{e.SecretName}' in the secret store, or fix the secret's name in the profile (PasswordSecret, or " +
                "OAuth:ClientSecretName, OAuth:ClientCertificateName or OAuth:ServiceAccountKeyName)."),
            SecretStoreUnavailableException e => new(FailureKind.Transient, null, e.Message,
                $"Retried later. If it lasts, check that {SecretStoreFactory.KeyVaultUriKey} names a vault this app can reach, that its managed " +
                $"identity (AZURE_CLIENT_ID) gets tokens, and that the identity holds Key Vault Secrets User on the vault."),
            InsecureAuthRefusedException e => new(FailureKind.Configuration, null, e.Message,
                "Use Security StartTls or SslOnConnect, or set AllowInsecureAuth for a local test server only."),
            AuthenticationFailedException or CredentialUnavailableException or InvalidServiceAccountKeyException when profile.OAuth is not null =>
                new(FailureKind.Configuration, null, "No OAuth access token: " + ErrorText.FirstLine(error.Message), OAuthFailureHints.TokenUnavailable(profile, error)),
            OAuthNotOfferedException e => new(FailureKind.Configuration, null, e.Message, OAuthFailureHints.NotOffered(profile)),
            AuthenticationException e => Credentials(AuthReply(e), e.Message, profile),
            SmtpCommandException { StatusCode: SmtpStatusCode.AuthenticationInvalidCredentials } e => Credentials(Reply(e), e.Message, profile),
            SmtpCommandException { StatusCode: SmtpStatusCode.AuthenticationRequired } e => new(FailureKind.Configuration, Reply(e), e.Message,
                "The server requires authentication: set Username and PasswordSecret in the profile."),
            SmtpCommandException e when (int)e.StatusCode is >= 400 and < 500 => new(FailureKind.Transient, Reply(e), e.Message),
            SmtpCommandException e => new(FailureKind.Permanent, Reply(e), e.Message),
            NoRecipientsAcceptedException e => e.Rejected.Any(r => r.IsTemporary)
                ? new(FailureKind.Transient, e.Rejected[0].Reply, e.Message)
                : new(FailureKind.Permanent, e.Rejected[0].Reply, e.Message),
            SslHandshakeException e => new(FailureKind.Configuration, null, ErrorText.FirstLine(e.Message),
                mismatch ?? "The TLS handshake failed: check the server's certificate (or set TrustedCertificateThumbprint for a self-signed test server) and the Security mode."),
            NotSupportedException e when phase == SmtpPhase.Connect => new(FailureKind.Configuration, null, e.Message,
                mismatch ?? "The server does not offer STARTTLS on this port; use the provider's submission port (587 with StartTls or 465 with SslOnConnect)."),
            NotSupportedException e when phase == SmtpPhase.Authenticate => new(FailureKind.Configuration, null, e.Message,
                "The server offers no authentication mechanism that Bridge can use on this connection."),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } e => new(FailureKind.Configuration, null, e.Message,
                $"The host name '{profile.Host}' does not resolve; check Host in the profile."),
            _ when mismatch is not null && IsNetworkError(error) => new(FailureKind.Configuration, null, NetworkErrorText(error), mismatch),
            _ when IsNetworkError(error) => new(FailureKind.Transient, null, NetworkErrorText(error)),
            _ => null,
        };
    }

    /// <summary>The classic mistake: a port that speaks one TLS mode configured with the other.</summary>
    public static string? PortSecurityMismatchHint(SmtpProfile profile) => (profile.Port, profile.Security) switch
    {
        (465, not SmtpSecurity.SslOnConnect) =>
            $"Port 465 expects SslOnConnect (implicit TLS); the profile says {profile.Security}.",
        (587 or 25, SmtpSecurity.SslOnConnect) =>
            $"Port {profile.Port} expects StartTls; the profile says SslOnConnect (implicit TLS is port 465).",
        _ => null,
    };

    private static DeliveryFailure Credentials(SmtpReply? reply, string detail, SmtpProfile profile) => new(
        FailureKind.Credentials, reply, ErrorText.FirstLine(detail),
        OAuthFailureHints.ForRefusedLogin(profile, reply)
        ?? "The server refused the username or password. Check the secret for stray spaces; providers with " +
           "two-factor sign-in need an app password; API-key relays often want a fixed username (SendGrid: 'apikey'). " +
           $"Provider settings: {OAuthFailureHints.ProvidersDoc}.");

    private static bool IsNetworkError(Exception error) => error is SocketException or IOException or TimeoutException
        or SmtpProtocolException or ServiceNotConnectedException or OperationCanceledException;

    /// <summary>
    /// MailKit words a dropped connection as "unexpectedly disconnected: " plus the connection's last reply, which on
    /// a pooled connection answered another message (its queue id): only the fact is kept.
    /// </summary>
    private static string NetworkErrorText(Exception error) =>
        error is SmtpProtocolException && error.Message.StartsWith(UnexpectedDisconnect, StringComparison.Ordinal)
            ? UnexpectedDisconnect + "."
            : ErrorText.FirstLine(error.Message);

    private const string UnexpectedDisconnect = "The SMTP server has unexpectedly disconnected";

    private static SmtpReply Reply(SmtpCommandException e) => new((int)e.StatusCode, e.Message);

    private static SmtpReply? AuthReply(AuthenticationException e)
    {
        if (e.InnerException is SmtpCommandException inner)
        {
            return Reply(inner);
        }

        // MailKit words it as "535: 5.7.8 Error: authentication failed" when it has the reply.
        var message = e.Message;
        return message.Length >= 3 && int.TryParse(message.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? new SmtpReply(code, message[3..].TrimStart(':', ' '))
            : new SmtpReply((int)SmtpStatusCode.AuthenticationInvalidCredentials, message);
    }
}
