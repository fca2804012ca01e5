using Bridge.Core.Delivery;
using Bridge.Core.Doctor;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Tests.Doctor;

/// <summary>The start-up check: paper rules only, no secret read and no connection (issue 8: nothing at start that can wait).</summary>
public sealed class ProfileSelfCheckTests
{
    private readonly CapturingLogger<ProfileSelfCheck> logger = new();

    private async Task StartAsync(params (string Name, SmtpProfile Profile)[] profiles) =>
        await new ProfileSelfCheck(TestOptions.Smtp(profiles), logger).StartAsync(CancellationToken.None);

    private static SmtpProfile Profile(int port, SmtpSecurity security, string? username = "relay@shop.example") => new()
    {
        Host = "smtp.example.org", Port = port, Security = security, Username = username, PasswordSecret = username is null ? null : "SmtpPassword",
    };

    private List<LogEntry> Warnings() => logger.Entries.Where(e => e.Level == LogLevel.Warning).ToList();

    [Fact]
    public async Task Port_25_and_known_ports_with_the_other_tls_mode_get_one_structured_warning_each()
    {
        await StartAsync(
            ("relay", Profile(25, SmtpSecurity.StartTls)),
            ("submission", Profile(587, SmtpSecurity.SslOnConnect)),
            ("smtps", Profile(465, SmtpSecurity.StartTls)),
            ("fine", Profile(587, SmtpSecurity.StartTls)));

        var warnings = Warnings().Select(w => (w.Field("Profile"), w.Field("Rule"))).ToList();
        Assert.Equal(
            [("relay", "port-25"), ("submission", "port-security-mismatch"), ("smtps", "port-security-mismatch")],
            warnings);
        Assert.Contains("465 expects SslOnConnect", Warnings().Single(w => w.Field("Profile") == "smtps").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spaces_around_the_username_are_warned_about()
    {
        await StartAsync(("default", Profile(587, SmtpSecurity.StartTls, username: " relay@shop.example")));

        Assert.Equal(["username-whitespace"], Warnings().Select(w => w.Field("Rule")));
    }

    [Fact]
    public async Task Correct_profiles_get_no_warning()
    {
        await StartAsync(
            ("default", Profile(587, SmtpSecurity.StartTls)),
            ("implicit", Profile(465, SmtpSecurity.SslOnConnect)),
            ("local", Profile(2525, SmtpSecurity.None, username: null)));

        Assert.Empty(Warnings());
    }
}
