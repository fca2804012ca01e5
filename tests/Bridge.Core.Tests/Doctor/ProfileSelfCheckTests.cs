using Bridge.Core.Delivery;
using Bridge.Core.Doctor;
using Bridge.Core.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Doctor;

public sealed class ProfileSelfCheckTests
{
    private const string SecretValue = "s3cret-value-42";

    private readonly CapturingLogger<ProfileSelfCheck> logger = new();

    private sealed class Store(Func<string, CancellationToken, Task<string>> read) : ISecretStore
    {
        public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken) => read(name, cancellationToken);
    }

    private ProfileSelfCheck Check(ISecretStore store, params (string Name, SmtpProfile Profile)[] profiles) => new(
        TestOptions.Smtp(profiles),
        new SecretCache(store, TimeProvider.System, Options.Create(new SecretCacheOptions())),
        TimeProvider.System,
        logger);

    private static ISecretStore Secrets(Dictionary<string, string> values) =>
        new Store((name, _) => values.TryGetValue(name, out var v) ? Task.FromResult(v) : throw new SecretNotFoundException(name, "test"));

    private static SmtpProfile Profile(int port, SmtpSecurity security, string? username = "relay@shop.example") => new()
    {
        Host = "smtp.example.org", Port = port, Security = security, Username = username, PasswordSecret = username is null ? null : "SmtpPassword",
    };

    private List<LogEntry> Warnings() => logger.Entries.Where(e => e.Level == LogLevel.Warning).ToList();

    [Fact]
    public async Task Port_25_and_known_ports_with_the_other_tls_mode_get_one_structured_warning_each()
    {
        var check = Check(Secrets(new() { ["SmtpPassword"] = SecretValue }),
            ("relay", Profile(25, SmtpSecurity.StartTls)),
            ("submission", Profile(587, SmtpSecurity.SslOnConnect)),
            ("smtps", Profile(465, SmtpSecurity.StartTls)),
            ("fine", Profile(587, SmtpSecurity.StartTls)));

        await check.CheckAsync(CancellationToken.None);

        var warnings = Warnings().Select(w => (w.Field("Profile"), w.Field("Rule"))).ToList();
        Assert.Equal(
            [("relay", "port-25"), ("submission", "port-security-mismatch"), ("smtps", "port-security-mismatch")],
            warnings);
        Assert.Contains("465 expects SslOnConnect", Warnings().Single(w => w.Field("Profile") == "smtps").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spaces_around_the_username_or_the_secret_are_warned_about_without_logging_the_secret()
    {
        var check = Check(Secrets(new() { ["SmtpPassword"] = SecretValue + "\n" }),
            ("default", Profile(587, SmtpSecurity.StartTls, username: " relay@shop.example")));

        await check.CheckAsync(CancellationToken.None);

        Assert.Equal(["username-whitespace", "secret-whitespace"], Warnings().Select(w => w.Field("Rule")));
        Assert.Contains("'SmtpPassword'", Warnings()[1].Message, StringComparison.Ordinal);
        Assert.All(logger.Entries, e => Assert.DoesNotContain(SecretValue, e.Message + string.Join("", e.Fields.Values), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Correct_profiles_get_no_warning()
    {
        var check = Check(Secrets(new() { ["SmtpPassword"] = SecretValue }),
            ("default", Profile(587, SmtpSecurity.StartTls)),
            ("implicit", Profile(465, SmtpSecurity.SslOnConnect)),
            ("local", Profile(2525, SmtpSecurity.None, username: null)));

        await check.CheckAsync(CancellationToken.None);

        Assert.Empty(Warnings());
    }

    [Fact]
    public async Task Missing_secret_is_warned_about_by_name()
    {
        var check = Check(Secrets([]), ("default", Profile(587, SmtpSecurity.StartTls)));

        await check.CheckAsync(CancellationToken.None);

        var warning = Assert.Single(Warnings());
        Assert.Equal("secret-missing", warning.Field("Rule"));
        Assert.Contains("'SmtpPassword'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_returns_at_once_while_a_slow_secret_store_is_still_being_asked()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new Store(async (_, _) =>
        {
            asked.TrySetResult();
            return await answer.Task;
        });
        using var check = Check(store, ("default", Profile(587, SmtpSecurity.StartTls)));

        await check.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(5));
        answer.SetResult(SecretValue + " ");
        await check.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("secret-whitespace", Assert.Single(Warnings()).Field("Rule"));
        await check.StopAsync(CancellationToken.None);
    }
}
