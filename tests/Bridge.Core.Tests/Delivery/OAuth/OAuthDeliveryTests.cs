using System.Security.Cryptography.X509Certificates;
using Bridge.Core.Delivery;
using Bridge.Testing;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// OAuth profiles end to end on loopback: Bridge's pool and sender, the real Azure.Identity
/// ClientSecretCredential against a fake Entra authority, and a real XOAUTH2 server (Node's
/// smtp-server) that takes only the token the test says.
/// </summary>
public sealed class OAuthDeliveryTests(OAuthPeers peers) : IClassFixture<OAuthPeers>, IAsyncLifetime
{
    private const string Good = "eyJ0eXAiOiJKV1QiLCJub25jZSI6.good-token.5b0c1e";
    private const string Stale = "eyJ0eXAiOiJKV1QiLCJub25jZSI6.stale-token.9f2a7d";

    private OAuthRig rig = null!;

    public Task InitializeAsync()
    {
        rig = new OAuthRig(peers, acceptedToken: Good);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Valid_token_sends_with_xoauth2_and_is_reused_with_the_connection()
    {
        rig.Entra.Issue(Good);
        var sender = rig.Sender(rig.Profile());

        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(sender));
        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(sender));

        Assert.Equal(2, rig.Smtp.Delivered.Count);
        Assert.All(rig.Smtp.Delivered, mail => Assert.Equal(OAuthRig.Mailbox, mail.User));
        Assert.Equal(1, rig.Smtp.AuthSuccesses);
        Assert.Equal(["client_credentials"], rig.Entra.Requests);
    }

    [Fact]
    public async Task Sends_over_implicit_tls()
    {
        await using var implicitPeers = await OAuthPeers.StartAsync(implicitTls: true);
        await using var implicitTls = new OAuthRig(implicitPeers, acceptedToken: Good);
        implicitTls.Entra.Issue(Good);

        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(implicitTls.Sender(implicitTls.Profile())));
        Assert.Single(implicitTls.Smtp.Delivered);
    }

    [Fact]
    public async Task Rotated_token_is_refreshed_once_and_the_retry_sends()
    {
        // The first token is refused (revoked or rotated out); the fresh one is what the server takes now.
        rig.Entra.Issue(Stale, Good);

        var result = await OAuthRig.SendAsync(rig.Sender(rig.Profile()));

        Assert.IsType<DeliveryResult.Sent>(result);
        Assert.Equal(2, rig.Entra.Requests.Count);
        Assert.Equal(1, rig.Smtp.AuthFailures);
        Assert.Equal(1, rig.Smtp.AuthSuccesses);
        Assert.Single(rig.Smtp.Delivered);
        Assert.Equal(2, rig.Secrets.Reads); // the refresh read the client secret again, past the cache
        Assert.Contains(rig.PoolLogs.Entries, e => e.Message.Contains("retrying once on a new connection with a new OAuth access token", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.PoolLogs.Entries, e => e.Message.Contains("rotated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_token_is_refreshed_once_then_fails_as_credentials_with_the_535()
    {
        rig.Entra.Issue(Stale); // the authority keeps issuing a token the server refuses

        var failure = Assert.IsType<DeliveryResult.Failed>(await OAuthRig.SendAsync(rig.Sender(rig.Profile()))).Failure;

        Assert.Equal(FailureKind.Credentials, failure.Kind);
        Assert.Equal(535, failure.Reply?.Code);
        Assert.Equal(2, rig.Entra.Requests.Count);
        Assert.Equal(1, rig.Smtp.AuthFailures); // the same token is not sent twice
        Assert.Contains("SMTP.SendAsApp", failure.Hint, StringComparison.Ordinal);
        Assert.Empty(rig.Smtp.Delivered);
    }

    [Fact]
    public async Task Token_that_expired_on_a_reused_profile_is_refreshed_on_the_next_connection()
    {
        rig.Entra.Issue(Good, "eyJ0eXAi.next-token.77");
        var sender = rig.Sender(rig.Profile());
        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(sender));

        // The server stops taking the cached token (revoked early); a second connection must log in again.
        rig.Smtp.AcceptToken("eyJ0eXAi.next-token.77");
        await using var other = rig.NewPool();
        var second = new SmtpSender(other, TestOptions.Smtp(("default", rig.Profile())));

        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(second));
        Assert.Equal(2, rig.Entra.Requests.Count);
        Assert.Equal(2, rig.Smtp.AuthSuccesses);
        Assert.Equal(1, rig.Smtp.AuthFailures);
    }

    [Fact]
    public async Task Smtp_auth_disabled_in_the_tenant_is_a_credentials_failure_with_the_microsoft_365_hint_and_no_token_refresh()
    {
        rig.Smtp.DisableSmtpAuth();

        var failure = Assert.IsType<DeliveryResult.Failed>(await OAuthRig.SendAsync(rig.Sender(rig.Profile()))).Failure;

        Assert.Equal(1, rig.Tokens.Acquisitions); // 5.7.139 refuses any token: the one refresh is not spent on it
        Assert.Equal(1, rig.Smtp.AuthFailures);
        Assert.Equal(FailureKind.Credentials, failure.Kind);
        Assert.Equal(535, failure.Reply?.Code);
        Assert.Contains("5.7.139", failure.Reply?.Reply, StringComparison.Ordinal);
        Assert.Contains("SMTP AUTH", failure.Hint, StringComparison.Ordinal);
        Assert.Contains("SMTP.SendAsApp", failure.Hint, StringComparison.Ordinal);
        Assert.Contains("docs/providers.md", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_client_secret_is_a_configuration_failure_that_names_what_to_check()
    {
        rig.Secrets[OAuthRig.SecretName] = "an-old-client-secret-value";

        var failure = Assert.IsType<DeliveryResult.Failed>(await OAuthRig.SendAsync(rig.Sender(rig.Profile()))).Failure;

        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Contains("TenantId", failure.Hint, StringComparison.Ordinal);
        Assert.Contains("ClientId", failure.Hint, StringComparison.Ordinal);
        Assert.Contains(OAuthRig.SecretName, failure.Hint, StringComparison.Ordinal);
        Assert.Contains("consent", failure.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("an-old-client-secret-value", failure.Describe(), StringComparison.Ordinal);
        Assert.Equal(0, rig.Smtp.AuthFailures + rig.Smtp.AuthSuccesses);
    }

    [Fact]
    public async Task Missing_client_secret_names_the_secret()
    {
        var failure = Assert.IsType<DeliveryResult.Failed>(
            await OAuthRig.SendAsync(rig.Sender(rig.Profile(o => o.ClientSecretName = "NoSuchSecret")))).Failure;

        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Contains("NoSuchSecret", failure.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_certificate_kept_in_key_vault_signs_the_token_request()
    {
        // Key Vault serves a certificate's PFX as the secret of the same name, base64.
        using var certificate = TestCertificates.CreateLocalhost();
        rig.Secrets["BridgeAppCertificate"] = Convert.ToBase64String(certificate.Export(X509ContentType.Pfx));
        rig.Entra.ClientSecret = null;
        rig.Entra.Issue(Good);
        var profile = rig.Profile(o => (o.ClientSecretName, o.ClientCertificateName) = (null, "BridgeAppCertificate"));

        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(rig.Sender(profile)));
        Assert.Equal(["client_credentials"], rig.Entra.Requests);
    }

    [Fact]
    public async Task Neither_the_token_nor_the_client_secret_appears_in_logs_or_failures()
    {
        rig.Entra.Issue(Stale, Good);
        var sent = await OAuthRig.SendAsync(rig.Sender(rig.Profile()));
        rig.Entra.Issue(Stale);
        await using var otherPeers = await OAuthPeers.StartAsync(implicitTls: false);
        await using var other = new OAuthRig(otherPeers, acceptedToken: Good);
        other.Entra.Issue(Stale);
        var failed = Assert.IsType<DeliveryResult.Failed>(await OAuthRig.SendAsync(other.Sender(other.Profile())));

        Assert.IsType<DeliveryResult.Sent>(sent);
        var everything = rig.AllLogs + "\n" + other.AllLogs + "\n" + failed.Failure.Describe() + "\n" + failed.Failure.Reply;
        Assert.NotEmpty(rig.TokenLogs.Entries);
        foreach (var secret in new[] { Good, Stale, OAuthRig.ClientSecret })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }
}
