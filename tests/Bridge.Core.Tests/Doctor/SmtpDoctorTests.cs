using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Bridge.Core.Delivery;
using Bridge.Core.Doctor;
using Bridge.Core.Http;
using Bridge.Core.Secrets;
using Bridge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Doctor;

/// <summary>
/// The doctor against real servers that are wrong on purpose, on loopback: each case asserts the step
/// that fails and the fix it names. Where waiting is the point (silence, no answer) the timeout is 1 s.
/// </summary>
public sealed class SmtpDoctorTests : IAsyncLifetime
{
    private const string User = "relay@shop.example";
    private const string Password = "right-Passw0rd!";

    // One certificate for every server in this class: making an RSA key per test is most of the cost.
    private static readonly X509Certificate2 Certificate = TestCertificates.CreateLocalhost();

    private readonly InMemorySecretStore store = new();
    private TestSmtpServer starttls = null!;
    private TestSmtpServer implicitTls = null!;

    public async Task InitializeAsync()
    {
        starttls = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, User, Password, certificate: Certificate);
        implicitTls = await TestSmtpServer.StartAsync(TestSmtpSecurity.ImplicitTls, User, Password, certificate: Certificate);
    }

    public async Task DisposeAsync()
    {
        await starttls.DisposeAsync();
        await implicitTls.DisposeAsync();
    }

    private sealed class InMemorySecretStore : ISecretStore
    {
        public Dictionary<string, string> Secrets { get; } = [];

        public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken) =>
            Secrets.TryGetValue(name, out var value) ? Task.FromResult(value) : throw new SecretNotFoundException(name, "the test store");
    }

    private SmtpDoctor Doctor() => new(
        new SecretCache(store, TimeProvider.System, Options.Create(new SecretCacheOptions())), TimeProvider.System, NullLogger<SmtpDoctor>.Instance);

    private static SmtpProfile Profile(TestSmtpServer server, Action<SmtpProfile>? change = null)
    {
        var profile = new SmtpProfile
        {
            Host = "localhost",
            Port = server.Port,
            Security = server.Security == TestSmtpSecurity.ImplicitTls ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls,
            Username = User,
            TrustedCertificateThumbprint = server.Thumbprint,

            // Generous: these servers answer in milliseconds, and a loaded test machine must not turn a pass into a timeout.
            TimeoutSeconds = 10,
        };
        change?.Invoke(profile);
        return profile;
    }

    private static SmtpProfile Profile(int port, SmtpSecurity security = SmtpSecurity.StartTls, string host = "localhost") =>
        new() { Host = host, Port = port, Security = security, TimeoutSeconds = 1 };

    private Task<Diagnosis> Diagnose(SmtpProfile profile, string? password = Password, string? recipient = null, bool send = false) =>
        Doctor().DiagnoseAsync(
            new DiagnosisTarget(null, profile) { Password = profile.Username is null ? null : password, TestRecipient = recipient, Send = send },
            CancellationToken.None);

    private static StepReport Step(Diagnosis diagnosis, DiagnosisStep step) => diagnosis.Steps.Single(s => s.Step == step);

    private static void AssertFailedAt(Diagnosis diagnosis, DiagnosisStep step)
    {
        Assert.False(diagnosis.Passed);
        Assert.Equal(step, diagnosis.FailedStep?.Step);
        Assert.NotNull(diagnosis.FailedStep!.Fix);
        var after = diagnosis.Steps.SkipWhile(s => s.Step != step).Skip(1).ToList();
        Assert.All(after, s => Assert.Equal(StepVerdict.Skipped, s.Verdict));
    }

    [Fact]
    public async Task Correct_starttls_profile_passes_every_step_and_the_test_message_arrives()
    {
        var diagnosis = await Diagnose(Profile(starttls), recipient: "ann@example.org", send: true);

        Assert.True(diagnosis.Passed, string.Join("\n", diagnosis.Steps.Select(s => $"{s.Step} {s.Verdict} {s.Summary} {s.Fix}")));
        Assert.Equal(
            [DiagnosisStep.Dns, DiagnosisStep.Tcp, DiagnosisStep.Greeting, DiagnosisStep.Ehlo, DiagnosisStep.Tls, DiagnosisStep.Auth, DiagnosisStep.Envelope, DiagnosisStep.Send],
            diagnosis.Steps.Select(s => s.Step));
        Assert.All(diagnosis.Steps, s => Assert.Equal(StepVerdict.Passed, s.Verdict));
        Assert.StartsWith("220 ", Step(diagnosis, DiagnosisStep.Greeting).Summary, StringComparison.Ordinal);
        Assert.Contains("STARTTLS", Step(diagnosis, DiagnosisStep.Ehlo).Summary, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.Pinned, Step(diagnosis, DiagnosisStep.Tls).Certificate?.Status);
        Assert.Contains("PLAIN", Step(diagnosis, DiagnosisStep.Auth).Summary, StringComparison.Ordinal);

        var mail = await starttls.WaitForMailAsync(m => m.To.Contains("ann@example.org"), TimeSpan.FromSeconds(5));
        Assert.Equal(User, mail.From);
        Assert.Equal(DoctorTestMessage.Subject, mail.Parse().Subject);
        Assert.Single(starttls.Received);
    }

    [Fact]
    public async Task Correct_implicit_tls_profile_passes_with_tls_before_the_greeting()
    {
        var diagnosis = await Diagnose(Profile(implicitTls));

        Assert.True(diagnosis.Passed, diagnosis.FailedStep?.Summary);
        Assert.Equal(
            [DiagnosisStep.Dns, DiagnosisStep.Tcp, DiagnosisStep.Tls, DiagnosisStep.Greeting, DiagnosisStep.Ehlo, DiagnosisStep.Auth, DiagnosisStep.Envelope, DiagnosisStep.Send],
            diagnosis.Steps.Select(s => s.Step));
        Assert.StartsWith("220 ", Step(diagnosis, DiagnosisStep.Greeting).Summary, StringComparison.Ordinal);
        Assert.Equal(StepVerdict.Passed, Step(diagnosis, DiagnosisStep.Auth).Verdict);
        Assert.Equal(StepVerdict.Skipped, Step(diagnosis, DiagnosisStep.Send).Verdict);
        Assert.Empty(implicitTls.Received);
    }

    /// <summary>
    /// With the default timeout the mismatch is found by a probe after a short silence, not by waiting the
    /// timeout out; with a timeout shorter than that silence, by the probe after the timeout.
    /// </summary>
    [Theory]
    [InlineData(30, "No greeting within 2 s, and a second connection to the port answered a TLS handshake")]
    [InlineData(1, "No greeting within 1 s, but the port answered a TLS handshake")]
    public async Task Starttls_profile_on_an_implicit_tls_port_fails_at_the_greeting_and_says_to_use_SslOnConnect(int timeoutSeconds, string found)
    {
        var diagnosis = await Diagnose(Profile(implicitTls, p => (p.Security, p.TimeoutSeconds) = (SmtpSecurity.StartTls, timeoutSeconds)));

        AssertFailedAt(diagnosis, DiagnosisStep.Greeting);
        Assert.StartsWith(found, diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("SslOnConnect", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.True(diagnosis.FailedStep.Duration < TimeSpan.FromSeconds(Math.Max(timeoutSeconds, 20)), $"the greeting step took {diagnosis.FailedStep.Duration}");
        Assert.Equal(0, implicitTls.AuthFailures);
    }

    [Fact]
    public async Task Server_slow_to_greet_is_not_taken_for_implicit_tls_and_passes()
    {
        await using var slow = RawPeer.GreetingAfter(TimeSpan.FromSeconds(3), "220 slow.example ESMTP\r\n");

        var profile = Profile(slow.Port, SmtpSecurity.None);
        profile.TimeoutSeconds = 10;

        var diagnosis = await Diagnose(profile);

        Assert.Equal(StepVerdict.Passed, Step(diagnosis, DiagnosisStep.Greeting).Verdict);
    }

    [Fact]
    public async Task Implicit_tls_profile_on_a_starttls_port_fails_at_tls_and_says_to_use_StartTls()
    {
        var diagnosis = await Diagnose(Profile(starttls, p => p.Security = SmtpSecurity.SslOnConnect));

        AssertFailedAt(diagnosis, DiagnosisStep.Tls);
        Assert.Contains("plain text (220 ", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("set Security to StartTls", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Port_with_nothing_listening_fails_at_tcp_as_refused()
    {
        var diagnosis = await Diagnose(Profile(FreePort.Next()));

        AssertFailedAt(diagnosis, DiagnosisStep.Tcp);
        Assert.Contains("refused", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("check Port", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.Equal(StepVerdict.Passed, Step(diagnosis, DiagnosisStep.Dns).Verdict);
    }

    [Fact]
    public async Task Connection_attempt_without_any_answer_fails_at_tcp_as_timed_out_and_suggests_587_or_465()
    {
        using var unanswered = await UnansweredPort.OpenAsync();

        var diagnosis = await Diagnose(Profile(unanswered.Port, host: "127.0.0.1"));

        AssertFailedAt(diagnosis, DiagnosisStep.Tcp);
        Assert.Contains("timed out", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("likely blocked by a firewall or the host", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.Contains("try 587 or 465", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.InRange(Step(diagnosis, DiagnosisStep.Tcp).Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Server_that_accepts_but_never_greets_fails_at_the_greeting_after_the_timeout()
    {
        await using var silent = RawPeer.Silent();

        var diagnosis = await Diagnose(Profile(silent.Port));

        AssertFailedAt(diagnosis, DiagnosisStep.Greeting);
        Assert.Contains("sent no greeting within 1 s", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("firewall", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.InRange(diagnosis.FailedStep.Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Equal(StepVerdict.Passed, Step(diagnosis, DiagnosisStep.Tcp).Verdict);
    }

    [Fact]
    public async Task Server_that_turns_the_client_away_fails_at_the_greeting_with_its_reply()
    {
        await using var refusing = RawPeer.Saying("554 5.7.1 No SMTP service here\r\n");

        var diagnosis = await Diagnose(Profile(refusing.Port));

        AssertFailedAt(diagnosis, DiagnosisStep.Greeting);
        Assert.Contains("554 5.7.1 No SMTP service here", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("IP address", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_protocol_on_the_port_is_named_as_not_smtp()
    {
        await using var ssh = RawPeer.Saying("SSH-2.0-OpenSSH_9.2p1\r\n");

        var diagnosis = await Diagnose(Profile(ssh.Port));

        AssertFailedAt(diagnosis, DiagnosisStep.Greeting);
        Assert.Contains("not an SMTP greeting: SSH-2.0", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("check Host and Port", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_fails_at_auth_with_535_and_credential_hints_after_one_attempt()
    {
        var diagnosis = await Diagnose(Profile(starttls), password: "wrong-password");

        AssertFailedAt(diagnosis, DiagnosisStep.Auth);
        Assert.Contains("535", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("app password", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.Contains("'apikey'", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.Equal(1, starttls.AuthFailures);
    }

    [Fact]
    public async Task Password_with_a_trailing_newline_is_pointed_out_when_the_login_fails()
    {
        var diagnosis = await Diagnose(Profile(starttls), password: "an-old-password\n");

        AssertFailedAt(diagnosis, DiagnosisStep.Auth);
        Assert.Contains("The password has spaces or a line break", diagnosis.FailedStep!.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_signed_certificate_without_a_pin_fails_at_tls_with_its_details_and_thumbprint()
    {
        var diagnosis = await Diagnose(Profile(starttls, p => p.TrustedCertificateThumbprint = null));

        AssertFailedAt(diagnosis, DiagnosisStep.Tls);
        var tls = diagnosis.FailedStep!;
        Assert.Contains("not trusted", tls.Summary, StringComparison.Ordinal);
        Assert.Contains("self-signed", tls.Summary, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.Untrusted, tls.Certificate?.Status);
        Assert.Equal("CN=localhost", tls.Certificate?.Subject);
        Assert.Contains("localhost", tls.Certificate!.Names);
        Assert.Contains($"TrustedCertificateThumbprint = {starttls.Thumbprint}", tls.Fix, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(StepVerdict.Passed, Step(diagnosis, DiagnosisStep.Ehlo).Verdict);
        Assert.Equal(0, starttls.AuthFailures);
    }

    [Fact]
    public async Task Pin_that_does_not_match_the_certificate_says_so()
    {
        var diagnosis = await Diagnose(Profile(starttls, p => p.TrustedCertificateThumbprint = new string('A', 64)));

        AssertFailedAt(diagnosis, DiagnosisStep.Tls);
        Assert.Contains("pinned TrustedCertificateThumbprint does not match", diagnosis.FailedStep!.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_without_starttls_fails_at_tls_when_the_profile_requires_it_and_no_password_is_sent()
    {
        await using var plain = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain, User, Password, certificate: Certificate);

        var diagnosis = await Diagnose(Profile(plain, p => p.Security = SmtpSecurity.StartTls));

        AssertFailedAt(diagnosis, DiagnosisStep.Tls);
        Assert.Contains("does not offer STARTTLS", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("587 with StartTls or 465 with SslOnConnect", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.Equal(StepVerdict.Passed, Step(diagnosis, DiagnosisStep.Ehlo).Verdict);
        Assert.DoesNotContain(diagnosis.Transcript, line => line.StartsWith("C: AUTH", StringComparison.Ordinal));
        Assert.Equal(0, plain.AuthFailures);
    }

    [Fact]
    public async Task Plain_connection_without_allow_insecure_auth_fails_at_auth_before_sending_the_password()
    {
        await using var plain = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain, User, Password, certificate: Certificate);

        var diagnosis = await Diagnose(Profile(plain, p => p.Security = SmtpSecurity.None));

        AssertFailedAt(diagnosis, DiagnosisStep.Auth);
        Assert.Equal(StepVerdict.Warning, Step(diagnosis, DiagnosisStep.Tls).Verdict);
        Assert.Contains("AllowInsecureAuth", diagnosis.FailedStep!.Fix, StringComparison.Ordinal);
        Assert.Equal(0, plain.AuthFailures);
    }

    [Fact]
    public async Task Refused_recipient_fails_the_envelope_step_with_the_reply_and_nothing_is_sent()
    {
        starttls.OnRcptTo = to => to == "gone@example.org" ? TestSmtpServer.Reply(550, "5.1.1 no such user") : null;

        var diagnosis = await Diagnose(Profile(starttls), recipient: "gone@example.org", send: true);

        AssertFailedAt(diagnosis, DiagnosisStep.Envelope);
        Assert.Contains("gone@example.org was refused: 550", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
        Assert.Contains("check the address", diagnosis.FailedStep.Fix, StringComparison.Ordinal);
        Assert.Equal(StepVerdict.Skipped, Step(diagnosis, DiagnosisStep.Send).Verdict);
        Assert.Empty(starttls.Received);
    }

    [Fact]
    public async Task Envelope_check_without_send_leaves_nothing_delivered()
    {
        var diagnosis = await Diagnose(Profile(starttls), recipient: "ann@example.org");

        Assert.True(diagnosis.Passed, diagnosis.FailedStep?.Summary);
        Assert.Equal(StepVerdict.Passed, Step(diagnosis, DiagnosisStep.Envelope).Verdict);
        Assert.Equal(StepVerdict.Skipped, Step(diagnosis, DiagnosisStep.Send).Verdict);
        Assert.Contains(diagnosis.Transcript, line => line == "C: RSET");
        Assert.Empty(starttls.Received);
    }

    [Fact]
    public async Task Named_profile_logs_in_with_the_password_from_the_secret_store()
    {
        store.Secrets["SmtpPassword"] = Password;
        var profile = Profile(starttls, p => p.PasswordSecret = "SmtpPassword");

        var diagnosis = await Doctor().DiagnoseAsync(new DiagnosisTarget("default", profile), CancellationToken.None);

        Assert.True(diagnosis.Passed, diagnosis.FailedStep?.Summary);
        Assert.Equal("default", diagnosis.Profile);
        Assert.Equal(StepVerdict.Passed, Step(diagnosis, DiagnosisStep.Auth).Verdict);
    }

    [Fact]
    public async Task Named_profile_whose_secret_is_missing_fails_at_auth_naming_the_secret()
    {
        var profile = Profile(starttls, p => p.PasswordSecret = "NoSuchSecret");

        var diagnosis = await Doctor().DiagnoseAsync(new DiagnosisTarget("default", profile), CancellationToken.None);

        AssertFailedAt(diagnosis, DiagnosisStep.Auth);
        Assert.Contains("Create the secret 'NoSuchSecret'", diagnosis.FailedStep!.Fix, StringComparison.Ordinal);
        Assert.Equal(0, starttls.AuthFailures);
    }

    [Fact]
    public async Task Host_that_does_not_resolve_fails_at_dns()
    {
        var diagnosis = await Diagnose(Profile(587, host: "no-such-host.invalid"));

        AssertFailedAt(diagnosis, DiagnosisStep.Dns);
        Assert.Contains("no-such-host.invalid", diagnosis.FailedStep!.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_diagnosis_stops_it_instead_of_reporting_a_timeout()
    {
        await using var silent = RawPeer.Silent();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var profile = Profile(silent.Port);
        profile.TimeoutSeconds = 30;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Doctor().DiagnoseAsync(new DiagnosisTarget(null, profile), cancel.Token));
    }

    [Theory]
    [InlineData("wrong-password")]
    [InlineData(Password)]
    public async Task Transcript_and_json_never_contain_the_password_in_any_form(string password)
    {
        var diagnosis = await Diagnose(Profile(starttls), password: password, recipient: "ann@example.org");
        var json = JsonSerializer.Serialize(DiagnosisView.Of(diagnosis), JsonSerializerOptions.Web);
        var transcript = string.Join("\n", diagnosis.Transcript);

        Assert.Contains(diagnosis.Transcript, line => line.StartsWith("C: AUTH PLAIN ********", StringComparison.Ordinal));
        string[] forms =
        [
            password,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(password)),
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{User}\0{password}")),
        ];
        foreach (var form in forms)
        {
            Assert.DoesNotContain(form, transcript, StringComparison.Ordinal);
            Assert.DoesNotContain(form, json, StringComparison.Ordinal);
            Assert.All(diagnosis.Steps, s => Assert.DoesNotContain(form, s.Summary + s.Fix + string.Join("", s.Details), StringComparison.Ordinal));
        }
    }
}
