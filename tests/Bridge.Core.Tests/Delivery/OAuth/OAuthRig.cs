using System.Net.Security;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;
using Bridge.Core.Doctor;
using Bridge.Core.Secrets;
using Bridge.Core.Tests.Doctor;
using Bridge.Testing;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// Bridge's real delivery path for an OAuth profile, wired to the local peers (<see cref="OAuthPeers"/>):
/// the XOAUTH2 server (Node's smtp-server) and the fake Entra endpoint. Everything Bridge logs is captured, so a test
/// can look for a token or the client secret where none may be.
/// </summary>
internal sealed class OAuthRig : IAsyncDisposable
{
    public const string Mailbox = "relay@contoso.example";
    public const string Tenant = "contoso.example";
    public const string SecretName = "BridgeAppSecret";
    public const string ClientSecret = "Xq8~client-secret-value.that-must-never-show";

    /// <param name="acceptedToken">The one token the SMTP server takes at first.</param>
    public OAuthRig(OAuthPeers peers, string acceptedToken, TimeProvider? time = null)
    {
        Entra = peers.Entra;
        Smtp = peers.Smtp;
        Entra.Reset(ClientSecret);
        Smtp.Reset(acceptedToken);
        Time = time ?? TimeProvider.System;
        Secrets[SecretName] = ClientSecret;
        SecretCache = new SecretCache(Secrets, Time, Options.Create(new SecretCacheOptions()));
        Tokens = new OAuthTokenSource(new OAuthCredentialFactory(SecretCache, TrustTestAuthority), Time, TokenLogs);
        Pool = new SmtpConnectionPool(SecretCache, Options.Create(new DeliveryOptions()), Time, PoolLogs, Tokens);
    }

    public FakeEntraTokenEndpoint Entra { get; }
    public XOAuth2SmtpServer Smtp { get; }
    public TimeProvider Time { get; }
    public CountingSecretStore Secrets { get; } = new();
    public SecretCache SecretCache { get; }
    public OAuthTokenSource Tokens { get; }
    public SmtpConnectionPool Pool { get; }
    public CapturingLogger<OAuthTokenSource> TokenLogs { get; } = new();
    public CapturingLogger<SmtpConnectionPool> PoolLogs { get; } = new();
    public CapturingLogger<SmtpDoctor> DoctorLogs { get; } = new();

    /// <summary>Every line Bridge logged, formatted, with the values of its fields.</summary>
    public string AllLogs => string.Join("\n", TokenLogs.Entries.Concat(PoolLogs.Entries).Concat(DoctorLogs.Entries)
        .Select(e => e.Message + " " + string.Join(" ", e.Fields.Values)));

    /// <summary>An app-registration profile (client secret) for the test server, via the fake authority.</summary>
    public SmtpProfile Profile(Action<OAuthProfile>? change = null)
    {
        var oauth = new OAuthProfile
        {
            TenantId = Tenant, ClientId = Entra.ClientId, ClientSecretName = SecretName, AuthorityHost = Entra.AuthorityHost,
        };
        change?.Invoke(oauth);
        return new SmtpProfile
        {
            Host = "localhost", Port = Smtp.Port, Username = Mailbox, TimeoutSeconds = 10, OAuth = oauth,
            Security = Smtp.ImplicitTls ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls,
            TrustedCertificateThumbprint = Smtp.Thumbprint,
        };
    }

    public SmtpSender Sender(SmtpProfile profile) => new(Pool, TestOptions.Smtp(("default", profile)));

    public SmtpDoctor Doctor() => new(SecretCache, Time, DoctorLogs, Tokens);

    public static Task<DeliveryResult> SendAsync(SmtpSender sender, string subject = "hello")
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "body" } };
        message.From.Add(MailboxAddress.Parse(Mailbox));
        message.To.Add(MailboxAddress.Parse("ann@example.org"));
        return sender.SendAsync("default", message, Mailbox, ["ann@example.org"], CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Pool.DisposeAsync();

    /// <summary>
    /// The seam's intended use: Azure.Identity gets a transport that trusts the fake authority's
    /// self-signed certificate by its pinned thumbprint, and nothing else extra. No retries, so a
    /// refused secret fails at once.
    /// </summary>
    private void TrustTestAuthority(TokenCredentialOptions options)
    {
        var thumbprint = TestCertificates.Sha256Thumbprint(Entra.Certificate);
        options.Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && CertificateTrust.IsPinned(thumbprint, certificate)),
        });
        options.Retry.MaxRetries = 0;
    }
}
