using Bridge.Core.Delivery;
using Bridge.Core.Secrets;
using Bridge.Core.Tests.Delivery.OAuth;
using Bridge.Core.Tests.Doctor;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Tests.Secrets;

/// <summary>
/// The secret store as production builds it: the real <c>SecretClient</c> and the real
/// <c>ManagedIdentityCredential</c> (App Service's protocol, IDENTITY_ENDPOINT and IDENTITY_HEADER) against a
/// local stand-in of Key Vault and of the token endpoint, behind the real cache, pool and sender talking to
/// a real SMTP server.
/// </summary>
[Collection(ManagedIdentityCollection.Name)]
public sealed class KeyVaultSecretStoreTests : IAsyncLifetime
{
    private const string User = "relay@shop.example";
    private const string VaultToken = "eyJ0eXAiOiJKV1QiLCJhbGciOi.vault-token.c3";

    private readonly Dictionary<string, string?> saved = [];
    private FakeEntraTokenEndpoint entra = null!;
    private FakeKeyVaultServer vault = null!;
    private TestSmtpServer smtp = null!;

    public async Task InitializeAsync()
    {
        entra = await FakeEntraTokenEndpoint.StartAsync();
        entra.Issue(VaultToken);
        vault = await FakeKeyVaultServer.StartAsync();
        vault.AcceptedToken = VaultToken;
        vault.SetSecret("SmtpPassword", "first-Passw0rd");
        smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, User, "first-Passw0rd");
        foreach (var (name, value) in new[] { ("IDENTITY_ENDPOINT", entra.IdentityEndpoint), ("IDENTITY_HEADER", FakeEntraTokenEndpoint.IdentityHeader) })
        {
            saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await smtp.DisposeAsync();
        await vault.DisposeAsync();
        await entra.DisposeAsync();
    }

    // MSAL caches managed identity tokens for the whole process, by identity: an identity of each test's own
    // makes every test get its token from the endpoint.
    private ISecretStore Store(bool disableChallengeResourceVerification = true) => SecretStoreFactory.Create(
        new KeyVaultOptions { Uri = vault.Uri, DisableChallengeResourceVerification = disableChallengeResourceVerification },
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AZURE_CLIENT_ID"] = Guid.NewGuid().ToString() }).Build(),
        vault.Configure);

    /// <summary>A sender whose every message opens (and authenticates) a new connection, so each one needs the password.</summary>
    private SmtpSender Sender(string passwordSecret = "SmtpPassword")
    {
        var options = new SmtpOptions();
        options.Profiles["default"] = new SmtpProfile
        {
            Host = "localhost", Port = smtp.Port, Security = SmtpSecurity.StartTls, Username = User, PasswordSecret = passwordSecret,
            TrustedCertificateThumbprint = smtp.Thumbprint, TimeoutSeconds = 5,
        };
        var pool = new SmtpConnectionPool(
            new SecretCache(Store(), TimeProvider.System, Options.Create(new SecretCacheOptions())),
            Options.Create(new DeliveryOptions { MaxIdle = TimeSpan.FromTicks(1) }), TimeProvider.System, new CapturingLogger<SmtpConnectionPool>());
        return new SmtpSender(pool, Options.Create(options));
    }

    private static Task<DeliveryResult> SendAsync(SmtpSender sender)
    {
        var message = new MimeMessage { Subject = "vault", Body = new TextPart("plain") { Text = "body" } };
        message.From.Add(MailboxAddress.Parse("orders@shop.example"));
        message.To.Add(MailboxAddress.Parse("ann@example.org"));
        return sender.SendAsync("default", message, "orders@shop.example", ["ann@example.org"], CancellationToken.None);
    }

    [Fact]
    public async Task Secret_is_read_after_the_challenge_with_the_managed_identity_s_token()
    {
        Assert.Equal("first-Passw0rd", await Store().GetSecretAsync("SmtpPassword", CancellationToken.None));

        Assert.Equal(1, vault.Challenges);
        Assert.Equal([200], vault.Reads.Select(r => r.Status));
        Assert.Equal(["managed_identity"], entra.Requests);
    }

    [Fact]
    public async Task After_warm_up_messages_cost_no_vault_reads()
    {
        var sender = Sender();
        Assert.IsType<DeliveryResult.Sent>(await SendAsync(sender));
        var warmedUp = vault.Reads.Count;

        for (var i = 0; i < 5; i++)
        {
            Assert.IsType<DeliveryResult.Sent>(await SendAsync(sender));
        }

        Assert.Equal(1, warmedUp);
        Assert.Equal(warmedUp, vault.Reads.Count);
        Assert.Equal(6, smtp.Sessions);
    }

    [Fact]
    public async Task Rotated_password_is_read_once_more_after_the_535_and_the_message_is_delivered()
    {
        var sender = Sender();
        Assert.IsType<DeliveryResult.Sent>(await SendAsync(sender));

        vault.SetSecret("SmtpPassword", "second-Passw0rd");
        smtp.Password = "second-Passw0rd";
        Assert.IsType<DeliveryResult.Sent>(await SendAsync(sender));

        Assert.Equal(1, smtp.AuthFailures);
        Assert.Equal([200, 200], vault.Reads.Select(r => r.Status));
        Assert.Equal(2, smtp.Received.Count);
    }

    [Fact]
    public async Task Throttled_read_waits_for_retry_after_then_delivers()
    {
        vault.Throttle(1);

        Assert.IsType<DeliveryResult.Sent>(await SendAsync(Sender()));

        var reads = vault.Reads;
        Assert.Equal([429, 200], reads.Select(r => r.Status));
        Assert.True(reads[1].At - reads[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {reads[1].At - reads[0].At}");
    }

    [Fact]
    public async Task Unreachable_vault_defers_the_message_with_a_hint()
    {
        vault.Down = true;

        var failed = Assert.IsType<DeliveryResult.Failed>(await SendAsync(Sender()));

        Assert.Equal(FailureKind.Transient, failed.Failure.Kind);
        Assert.Contains("'SmtpPassword'", failed.Failure.Detail);
        Assert.Contains("Key Vault Secrets User", failed.Failure.Hint);
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task Missing_secret_fails_the_message_naming_the_secret()
    {
        var failed = Assert.IsType<DeliveryResult.Failed>(await SendAsync(Sender(passwordSecret: "NoSuchSecret")));

        Assert.Equal(FailureKind.Configuration, failed.Failure.Kind);
        Assert.Contains("Create the secret 'NoSuchSecret'", failed.Failure.Hint);
        Assert.Equal([404], vault.Reads.Select(r => r.Status));
    }

    [Fact]
    public async Task Without_the_test_only_setting_the_client_refuses_a_vault_outside_vault_azure_net()
    {
        Assert.False(new KeyVaultOptions().DisableChallengeResourceVerification);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Store(disableChallengeResourceVerification: false).GetSecretAsync("SmtpPassword", CancellationToken.None));

        Assert.Contains("does not match the requested domain", refused.Message);
        Assert.Empty(vault.Reads);
    }
}
