using Bridge.Core.Delivery;
using Bridge.Core.Secrets;
using Bridge.Testing;
using Bridge.Core.Tests.Doctor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Tests.Delivery;

/// <summary>The real MailKit client against a real SMTP server in-process, one behaviour at a time.</summary>
public sealed class SmtpSenderTests : IAsyncLifetime
{
    private const string User = "relay@shop.example";
    private const string Password = "right-password";

    private readonly RotatingSecretStore secrets = new() { Value = Password };
    private readonly CapturingLogger<SmtpConnectionPool> poolLog = new();
    private TestSmtpServer starttls = null!;

    public async Task InitializeAsync() => starttls = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, User, Password);

    public async Task DisposeAsync() => await starttls.DisposeAsync();

    private sealed class RotatingSecretStore : ISecretStore
    {
        public string Value { get; set; } = "";
        public string? NextValue { get; set; }
        public int Reads { get; private set; }

        public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken)
        {
            Reads++;
            var value = Value;
            if (NextValue is not null)
            {
                Value = NextValue;
            }

            return Task.FromResult(value);
        }
    }

    private static SmtpProfile Profile(TestSmtpServer server, Action<SmtpProfile>? change = null)
    {
        var profile = new SmtpProfile
        {
            Host = "localhost", Port = server.Port, Username = User, PasswordSecret = "SmtpPassword", TimeoutSeconds = 3,
            Security = server.Security == TestSmtpSecurity.ImplicitTls ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls,
            TrustedCertificateThumbprint = server.Thumbprint,
        };
        change?.Invoke(profile);
        return profile;
    }

    private (SmtpSender Sender, SmtpConnectionPool Pool) Create(SmtpProfile profile)
    {
        var smtp = new SmtpOptions();
        smtp.Profiles["default"] = profile;
        var pool = new SmtpConnectionPool(
            new SecretCache(secrets, TimeProvider.System, Options.Create(new SecretCacheOptions())),
            Options.Create(new DeliveryOptions()), TimeProvider.System, poolLog);
        return (new SmtpSender(pool, Options.Create(smtp)), pool);
    }

    private static MimeMessage Message(string subject = "hello")
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "body" } };
        message.From.Add(MailboxAddress.Parse("orders@shop.example"));
        message.To.Add(MailboxAddress.Parse("ann@example.org"));
        return message;
    }

    private static Task<DeliveryResult> Send(SmtpSender sender, params string[] recipients) =>
        sender.SendAsync("default", Message(), "orders@shop.example", recipients.Length == 0 ? ["ann@example.org"] : recipients, CancellationToken.None);

    [Fact]
    public async Task Sends_over_starttls_with_auth_and_reuses_the_connection()
    {
        var (sender, pool) = Create(Profile(starttls));

        var first = await Send(sender);
        var second = await Send(sender);

        Assert.IsType<DeliveryResult.Sent>(first);
        Assert.Equal(250, Assert.IsType<DeliveryResult.Sent>(second).Reply.Code);
        Assert.Equal(2, starttls.Received.Count);
        Assert.Equal(1, pool.ConnectionsOpened);
        Assert.Equal(1, starttls.Sessions);
    }

    [Fact]
    public async Task Sends_over_implicit_tls()
    {
        await using var implicitTls = await TestSmtpServer.StartAsync(TestSmtpSecurity.ImplicitTls, User, Password);
        var (sender, _) = Create(Profile(implicitTls));

        Assert.IsType<DeliveryResult.Sent>(await Send(sender));
        Assert.Single(implicitTls.Received);
    }

    [Fact]
    public async Task Rotated_password_is_read_again_and_the_retry_succeeds()
    {
        secrets.Value = "stale-password";
        secrets.NextValue = Password;
        var (sender, _) = Create(Profile(starttls));

        Assert.IsType<DeliveryResult.Sent>(await Send(sender));
        Assert.Equal(2, secrets.Reads);
        Assert.Equal(1, starttls.AuthFailures);
        Assert.Contains(poolLog.Entries, e => e.Message.Contains("retrying once on a new connection with the password as now stored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unchanged_wrong_password_fails_as_credentials_after_one_attempt()
    {
        secrets.Value = "wrong-password";
        var (sender, _) = Create(Profile(starttls));

        var failure = Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure;

        Assert.Equal(FailureKind.Credentials, failure.Kind);
        Assert.Equal(535, failure.Reply?.Code);
        Assert.Equal(1, starttls.AuthFailures);
        Assert.Equal(2, secrets.Reads);
        Assert.DoesNotContain("wrong-password", failure.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_password_with_stray_spaces_is_pointed_out_by_secret_name_never_by_value()
    {
        // (The in-process server trims what it is sent, so the refused value here is also otherwise wrong.)
        secrets.Value = "stale-password\n";
        var (sender, _) = Create(Profile(starttls));

        Assert.IsType<DeliveryResult.Failed>(await Send(sender));

        var warning = Assert.Single(poolLog.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("secret-whitespace", warning.Field("Rule"));
        Assert.Contains("'SmtpPassword'", warning.Message, StringComparison.Ordinal);
        Assert.All(poolLog.Entries, e => Assert.DoesNotContain("stale-password", e.Message + string.Join("", e.Fields.Values), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Self_signed_certificate_without_a_pinned_thumbprint_is_a_configuration_failure()
    {
        var (sender, _) = Create(Profile(starttls, p => p.TrustedCertificateThumbprint = null));

        var failure = Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure;

        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Empty(starttls.Received);
    }

    [Fact]
    public async Task Implicit_tls_profile_against_a_starttls_port_is_a_configuration_failure()
    {
        var (sender, _) = Create(Profile(starttls, p => p.Security = SmtpSecurity.SslOnConnect));

        Assert.Equal(FailureKind.Configuration, Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure.Kind);
    }

    [Fact]
    public async Task StartTls_profile_never_falls_back_to_plain_text()
    {
        await using var plain = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain);
        var (sender, _) = Create(Profile(plain, p => p.Security = SmtpSecurity.StartTls));

        var failure = Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure;

        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Contains("STARTTLS", failure.Describe(), StringComparison.Ordinal);
        Assert.Empty(plain.Received);
        Assert.Equal(0, secrets.Reads);
    }

    [Fact]
    public async Task Insecure_auth_is_allowed_only_when_the_profile_says_so()
    {
        await using var plain = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain, User, Password);
        var (sender, _) = Create(Profile(plain, p => (p.Security, p.AllowInsecureAuth) = (SmtpSecurity.None, true)));

        Assert.IsType<DeliveryResult.Sent>(await Send(sender));
        Assert.Single(plain.Received);
    }

    [Fact]
    public async Task Auth_over_a_plain_connection_is_refused_without_allow_insecure_auth()
    {
        await using var plain = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain, User, Password);
        var (sender, _) = Create(Profile(plain, p => p.Security = SmtpSecurity.None));

        var failure = Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure;

        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Equal(0, plain.AuthFailures);
        Assert.Equal(0, secrets.Reads);
        Assert.Empty(plain.Received);
    }

    [Fact]
    public async Task Some_recipients_refused_sends_to_the_rest_and_reports_the_refused()
    {
        starttls.OnRcptTo = to => to == "gone@example.org" ? TestSmtpServer.Reply(550, "5.1.1 no such user") : null;
        var (sender, _) = Create(Profile(starttls));

        var sent = Assert.IsType<DeliveryResult.Sent>(await Send(sender, "ann@example.org", "gone@example.org"));

        var rejected = Assert.Single(sent.Rejected);
        Assert.Equal("gone@example.org", rejected.Address);
        Assert.Equal(550, rejected.Reply.Code);
        Assert.Equal(["ann@example.org"], Assert.Single(starttls.Received).To);
    }

    [Fact]
    public async Task All_recipients_refused_is_a_permanent_failure()
    {
        starttls.OnRcptTo = _ => TestSmtpServer.Reply(550, "5.1.1 no such user");
        var (sender, _) = Create(Profile(starttls));

        var failure = Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure;

        Assert.Equal(FailureKind.Permanent, failure.Kind);
        Assert.Equal(550, failure.Reply?.Code);
    }

    [Fact]
    public async Task Temporary_refusal_at_mail_from_is_transient()
    {
        starttls.OnMailFrom = _ => TestSmtpServer.Reply(451, "4.3.2 try later");
        var (sender, _) = Create(Profile(starttls));

        var failure = Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure;

        Assert.Equal(FailureKind.Transient, failure.Kind);
        Assert.Equal(451, failure.Reply?.Code);
    }

    [Fact]
    public async Task Refusal_after_data_is_permanent()
    {
        starttls.OnData = _ => TestSmtpServer.Reply(554, "5.6.0 content rejected");
        var (sender, _) = Create(Profile(starttls));

        var failure = Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure;

        Assert.Equal(FailureKind.Permanent, failure.Kind);
        Assert.Equal(554, failure.Reply?.Code);
    }

    [Fact]
    public async Task Nothing_listening_is_transient()
    {
        var (sender, _) = Create(Profile(starttls, p => p.Port = FreePort.Next()));

        Assert.Equal(FailureKind.Transient, Assert.IsType<DeliveryResult.Failed>(await Send(sender)).Failure.Kind);
    }

    [Fact]
    public async Task Profile_removed_after_accept_fails_the_message_with_a_hint_instead_of_crashing()
    {
        var (sender, _) = Create(Profile(starttls));

        var result = await sender.SendAsync("removed", Message(), "orders@shop.example", ["ann@example.org"], CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Equal(FailureKind.Configuration, failed.Failure.Kind);
        Assert.Contains("'removed' is not configured", failed.Failure.Detail);
        Assert.Contains("Bridge:Smtp:Profiles:removed", failed.Failure.Hint);
        Assert.Equal(0, starttls.Sessions);
    }
}
