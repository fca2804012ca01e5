using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.Cli.Tests;

/// <summary><c>bridge doctor</c> end to end in-process: arguments, configuration, the password rules, the report and the exit code.</summary>
public sealed class DoctorCommandTests : IAsyncLifetime
{
    private const string User = "relay@shop.example";
    private const string Password = "cli-Passw0rd!";

    private static readonly X509Certificate2 Certificate = TestCertificates.CreateLocalhost();

    private readonly TestConsole console = new();
    private TestSmtpServer server = null!;

    public async Task InitializeAsync() =>
        server = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, User, Password, certificate: Certificate);

    public async Task DisposeAsync() => await server.DisposeAsync();

    private string[] Inline(params string[] more) =>
        ["doctor", "--host", "localhost", "--port", server.Port.ToString(), "--security", "StartTls", "--user", User,
         "--trust", server.Thumbprint, "--timeout", "10", .. more];

    private void WriteAppSettings(string password) => File.WriteAllText(Path.Combine(console.WorkingDirectory, "appsettings.json"), $$"""
        {
          "Bridge": {
            "Smtp": { "Profiles": { "default": {
              "Host": "localhost", "Port": {{server.Port}}, "Security": "StartTls", "Username": "{{User}}",
              "PasswordSecret": "SmtpPassword", "TrustedCertificateThumbprint": "{{server.Thumbprint}}", "TimeoutSeconds": 10 } } },
            "Secrets": { "SmtpPassword": "{{password}}" }
          }
        }
        """);

    [Fact]
    public async Task Inline_profile_that_works_exits_0_with_a_check_mark_per_step_and_the_test_message_arrives()
    {
        console.Environment["BRIDGE_SMTP_PASSWORD"] = Password;

        var exit = await console.RunAsync(Inline("--to", "ann@example.org", "--send"));

        var output = console.Out.ToString();
        Assert.Equal(ExitCodes.Ok, exit);
        foreach (var title in new[] { "DNS", "TCP", "Greeting", "EHLO", "TLS", "AUTH", "MAIL/RCPT", "Test send" })
        {
            Assert.Matches($@"(?m)^  ✓ {Regex(title)} +\d+ ms  ", output);
        }

        Assert.Contains("✓ Every step passed", output, StringComparison.Ordinal);
        Assert.Empty(console.Prompts);
        await server.WaitForMailAsync(m => m.To.Contains("ann@example.org"), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Wrong_password_exits_1_marks_auth_failed_with_a_fix_and_never_prints_the_password()
    {
        console.Environment["BRIDGE_SMTP_PASSWORD"] = "not-the-Passw0rd";

        var exit = await console.RunAsync(Inline());

        var output = console.Out.ToString();
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Matches(@"(?m)^  ✗ AUTH +\d+ ms  The server refused the login", output);
        Assert.Contains("Fix: ", output, StringComparison.Ordinal);
        Assert.Contains("✗ Failed at AUTH", output, StringComparison.Ordinal);
        Assert.Contains("C: AUTH PLAIN ********", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-Passw0rd", output + console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_environment_variable_the_password_is_prompted_for()
    {
        console.TypedPassword = Password;

        var exit = await console.RunAsync(Inline());

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal([$"Password for {User} at localhost: "], console.Prompts);
    }

    [Fact]
    public async Task Password_given_as_a_flag_is_refused_without_connecting()
    {
        var exit = await console.RunAsync(Inline("--password", "secret-on-the-command-line"));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("never taken as a flag", console.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-on-the-command-line", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Sessions);
    }

    [Fact]
    public async Task Configured_profile_is_read_from_appsettings_json_in_the_working_folder_with_its_secret()
    {
        WriteAppSettings(Password);

        var exit = await console.RunAsync("doctor", "--profile", "default");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains($"profile 'default' → localhost:{server.Port} (StartTls), user {User}", console.Out.ToString(), StringComparison.Ordinal);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public async Task Environment_variables_override_appsettings_like_in_the_hosts()
    {
        WriteAppSettings("stale-password");
        var variable = "Bridge__Secrets__SmtpPassword";
        Environment.SetEnvironmentVariable(variable, Password);
        try
        {
            Assert.Equal(ExitCodes.Ok, await console.RunAsync("doctor"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Dns_checks_the_sender_domain_through_the_configured_resolver_and_prints_the_record_to_publish()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        await using var dns = await LoopbackDns.StartAsync(new DnsZoneRecords().Zone("shop.example")
            .Txt("shop.example", "v=spf1 ip4:127.0.0.1 -all").Txt("_dmarc.shop.example", "v=DMARC1; p=reject"));
        File.WriteAllText(Path.Combine(console.WorkingDirectory, "appsettings.json"), $$"""
            {
              "Bridge": {
                "Smtp": { "Profiles": { "default": { "Host": "127.0.0.1", "Port": {{server.Port}}, "Username": "{{User}}", "PasswordSecret": "SmtpPassword" } } },
                "Dkim": { "shop": { "Domain": "shop.example", "Selector": "bridge1", "PrivateKeySecret": "ShopDkim" } },
                "Dns": { "Servers": "{{dns.Server}}", "Blocklists": "" },
                "Secrets": { "SmtpPassword": "{{Password}}", "ShopDkim": {{JsonSerializer.Serialize(rsa.ExportPkcs8PrivateKeyPem())}} }
              }
            }
            """);

        var exit = await console.RunAsync("doctor", "--dns");

        var output = console.Out.ToString();
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("Deliverability (DNS):", output, StringComparison.Ordinal);
        Assert.Contains("✓ SPF", output, StringComparison.Ordinal);
        Assert.Contains("✗ DKIM", output, StringComparison.Ordinal);
        Assert.Contains($"Publish: bridge1._domainkey.shop.example TXT \"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("EHLO", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dns_without_an_address_to_take_the_domain_from_is_a_usage_error()
    {
        var exit = await console.RunAsync("doctor", "--host", "localhost", "--port", server.Port.ToString(), "--dns");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--dns needs --from", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_the_api_shape_and_says_which_step_failed()
    {
        WriteAppSettings("stale-password");

        var exit = await console.RunAsync("doctor", "--json");

        Assert.Equal(ExitCodes.Failed, exit);
        using var json = JsonDocument.Parse(console.Out.ToString());
        Assert.False(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal("auth", json.RootElement.GetProperty("failedStep").GetString());
        Assert.Contains("app password", json.RootElement.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("stale-password", console.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_profile_exits_1_and_lists_the_configured_ones()
    {
        WriteAppSettings(Password);

        var exit = await console.RunAsync("doctor", "--profile", "marketing");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("no SMTP profile 'marketing'", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Configured: default.", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not both", "doctor", "--profile", "default", "--host", "localhost")]
    [InlineData("--security", "doctor", "--host", "localhost", "--security", "Tls")]
    [InlineData("--send needs --to", "doctor", "--host", "localhost", "--send")]
    [InlineData("--to must be an email address", "doctor", "--to", "not an address")]
    [InlineData("--timeout must be between 1 and 120", "doctor", "--timeout", "0")]
    [InlineData("'--hots'", "doctor", "--hots", "localhost")]
    [InlineData("'frobnicate'", "frobnicate")]
    public async Task Wrong_command_lines_exit_2_naming_the_mistake_and_where_the_help_is(string mistake, params string[] args)
    {
        var exit = await console.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(mistake, console.Error.ToString(), StringComparison.Ordinal);
        Assert.Matches("Usage:|See 'bridge doctor --help'", console.Error.ToString());
        Assert.Equal(0, server.Sessions);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
