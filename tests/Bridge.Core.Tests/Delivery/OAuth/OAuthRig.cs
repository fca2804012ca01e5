using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
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
/// the XOAUTH2 server (Node's smtp-server), the fake Entra endpoint and the fake Google token endpoint. Everything
/// Bridge logs is captured, so a test can look for a token, the client secret or the private key where none may be.
/// </summary>
internal sealed class OAuthRig : IAsyncDisposable
{
    public const string Mailbox = "relay@contoso.example";
    public const string Tenant = "contoso.example";
    public const string SecretName = "BridgeAppSecret";
    public const string ClientSecret = "Xq8~client-secret-value.that-must-never-show";
    public const string ServiceAccountKeyName = "GoogleServiceAccountKey";

    /// <param name="acceptedToken">The one token the SMTP server takes at first.</param>
    public OAuthRig(OAuthPeers peers, string acceptedToken, TimeProvider? time = null)
    {
        Entra = peers.Entra;
        Google = peers.Google;
        Smtp = peers.Smtp;
        Entra.Reset(ClientSecret);
        Google.Reset(Mailbox);
        Smtp.Reset(acceptedToken);
        Time = time ?? TimeProvider.System;
        Secrets[SecretName] = ClientSecret;
        Secrets[ServiceAccountKeyName] = Google.KeyJson();
        SecretCache = new SecretCache(Secrets, Time, Options.Create(new SecretCacheOptions()));
        var googleHttp = new PinnedGoogleHttpClientFactory(TrustPinned(Google.Certificate));
        Tokens = new OAuthTokenSource(new OAuthCredentialFactory(SecretCache, TrustTestAuthority, googleHttp), Time, TokenLogs);
        Pool = NewPool();
    }

    public FakeEntraTokenEndpoint Entra { get; }
    public FakeGoogleTokenEndpoint Google { get; }
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
        return ProfileFor(oauth);
    }

    /// <summary>A Google service-account profile (domain-wide delegation, acting as <see cref="Mailbox"/>), via the fake token endpoint.</summary>
    public SmtpProfile GoogleProfile(Action<OAuthProfile>? change = null)
    {
        var oauth = new OAuthProfile { ServiceAccountKeyName = ServiceAccountKeyName };
        change?.Invoke(oauth);
        return ProfileFor(oauth);
    }

    public SmtpSender Sender(SmtpProfile profile) => new(Pool, TestOptions.Smtp(("default", profile)));

    /// <summary>Another pool that shares this rig's tokens, so its first message logs in on a new connection.</summary>
    public SmtpConnectionPool NewPool() => new(SecretCache, Options.Create(new DeliveryOptions()), Time, PoolLogs, Tokens);

    private SmtpProfile ProfileFor(OAuthProfile oauth) =>
        new()
        {
            Host = "localhost", Port = Smtp.Port, Username = Mailbox, TimeoutSeconds = 10, OAuth = oauth,
            Security = Smtp.ImplicitTls ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls,
            TrustedCertificateThumbprint = Smtp.Thumbprint,
        };

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
        options.Transport = new HttpClientTransport(new HttpClientHandler { ServerCertificateCustomValidationCallback = TrustPinned(Entra.Certificate) });
        options.Retry.MaxRetries = 0;
    }

    /// <summary>Certificate validation as usual, plus the one test certificate, by its pinned thumbprint (for Google's client too).</summary>
    private static Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool> TrustPinned(X509Certificate2 pinned)
    {
        var thumbprint = TestCertificates.Sha256Thumbprint(pinned);
        return (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || (certificate is not null && CertificateTrust.IsPinned(thumbprint, certificate));
    }
}
