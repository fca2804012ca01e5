using System.Text.Encodings.Web;
using System.Text.Json;
using Bridge.Core;
using Bridge.Core.Delivery;
using Bridge.Core.Doctor;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge doctor</c>: diagnoses a configured profile (<c>--profile</c>, secrets from the same store
/// as the hosts) or an inline one (<c>--host ...</c>, password from BRIDGE_SMTP_PASSWORD or a prompt,
/// never a flag), prints the report, and exits 0 only when every step passed. <c>--dns</c> checks the sender
/// domain's DNS (SPF, DKIM, DMARC, MX, blocklists) instead; <c>--all</c> does both.
/// </summary>
public static class DoctorCommand
{
    public const string PasswordVariable = "BRIDGE_SMTP_PASSWORD";

    private static readonly string[] InlineOptions = ["--host", "--port", "--security", "--user", "--trust", "--allow-insecure-auth"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Printed to a terminal, not embedded in HTML: keep '<', '>' and '→' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (args.Any(a => a.StartsWith("--password", StringComparison.Ordinal)))
        {
            return BridgeCli.UsageError(context,
                [$"A password is never taken as a flag (it would end up in shell history): set {PasswordVariable} or type it at the prompt."]);
        }

        var options = CliArguments.Parse(args,
            ["--profile", "--host", "--port", "--security", "--user", "--trust", "--timeout", "--to", "--from"],
            ["--allow-insecure-auth", "--send", "--transcript", "--json", "--dns", "--all"]);
        var inline = InlineOptions.Any(options.Has);
        if (inline && options.Has("--profile"))
        {
            options.Errors.Add("Use --profile for a configured profile or --host for an inline one, not both.");
        }

        var recipient = Address(options, "--to");
        var sender = Address(options, "--from");
        if (options.Has("--send") && recipient is null)
        {
            options.Errors.Add("--send needs --to <address>: where the test message goes.");
        }

        var timeout = options.Number("--timeout");
        if (timeout is < 1 or > 120)
        {
            options.Errors.Add("--timeout must be between 1 and 120 seconds.");
        }

        var inlineProfile = inline ? InlineProfileFrom(options, timeout is >= 1 and <= 120 ? timeout : null) : null;
        if (options.Errors.Count > 0)
        {
            return BridgeCli.UsageError(context, options.Errors);
        }

        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(configuration)
            .AddBridgeCore(configuration)
            .BuildServiceProvider();
        var target = inlineProfile is not null
            ? InlineTarget(inlineProfile, context)
            : ConfiguredTarget(options.Value("--profile") ?? SmtpOptions.DefaultProfile, timeout, services, context);
        if (target is null)
        {
            return ExitCodes.Failed;
        }

        var run = new DiagnosisTarget(target.ProfileName, target.Profile)
        {
            Password = target.Password,
            TestRecipient = recipient,
            TestSender = sender,
            Send = options.Has("--send"),
            Checks = options.Has("--all") ? DoctorChecks.All : options.Has("--dns") ? DoctorChecks.Dns : DoctorChecks.Smtp,
        };
        if (run.Checks.HasFlag(DoctorChecks.Dns) && run.SenderDomain is null)
        {
            return BridgeCli.UsageError(context, ["--dns needs --from <address>: the sender whose domain is checked (the profile has no address to default to)."]);
        }

        var diagnosis = await ActivatorUtilities.GetServiceOrCreateInstance<SmtpDoctor>(services).DiagnoseAsync(run, cancellationToken);
        if (options.Has("--json"))
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(DiagnosisView.Of(diagnosis), Json));
        }
        else
        {
            DiagnosisReportWriter.Write(diagnosis, context.Out, includeTranscript: options.Has("--transcript") || !diagnosis.Passed);
        }

        return diagnosis.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static DiagnosisTarget? ConfiguredTarget(string name, int? timeout, IServiceProvider services, CliContext context)
    {
        SmtpOptions smtp;
        try
        {
            smtp = services.GetRequiredService<IOptions<SmtpOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            context.Error.WriteLine("The SMTP configuration is not valid:");
            foreach (var failure in e.Failures)
            {
                context.Error.WriteLine("  " + failure);
            }

            return null;
        }

        if (!smtp.Profiles.TryGetValue(name, out var profile))
        {
            context.Error.WriteLine($"There is no SMTP profile '{name}' (looked for {SmtpOptions.SectionName}:Profiles:{name} in appsettings.json " +
                                    $"in {context.WorkingDirectory} and in environment variables). Configured: " +
                                    (smtp.Profiles.Count == 0 ? "none." : string.Join(", ", smtp.Profiles.Keys) + "."));
            return null;
        }

        if (timeout is { } seconds)
        {
            // This process's own copy of the options: changing it affects nothing but this diagnosis.
            profile.TimeoutSeconds = seconds;
        }

        return new DiagnosisTarget(name, profile);
    }

    private static SmtpProfile? InlineProfileFrom(CliArguments options, int? timeout)
    {
        var errors = new ValidationErrors();
        var profile = InlineProfile.Create(options.Value("--host"), options.Number("--port"), options.Value("--security"), options.Value("--user"),
            options.Value("--trust"), options.Has("--allow-insecure-auth"), timeout, errors);
        options.Errors.AddRange(errors.ToDictionary().SelectMany(e => e.Value.Select(m => $"{FlagFor(e.Key)} {m}.")));
        return profile;
    }

    private static DiagnosisTarget? InlineTarget(SmtpProfile profile, CliContext context)
    {
        string? password = null;
        if (profile.Username is { } user)
        {
            password = context.Environment(PasswordVariable) ?? context.ReadSecret($"Password for {user} at {profile.Host}: ");
            if (password is null)
            {
                context.Error.WriteLine($"No password: set {PasswordVariable} or type it at the prompt.");
                return null;
            }
        }

        return new DiagnosisTarget(null, profile) { Password = password };
    }

    private static string? Address(CliArguments options, string flag)
    {
        if (options.Value(flag) is not { } text)
        {
            return null;
        }

        if (TestAddress.TryParse(text, out var address))
        {
            return address;
        }

        options.Errors.Add($"{flag} must be an email address (got '{text}').");
        return null;
    }

    private static string FlagFor(string field) => field switch
    {
        "timeoutSeconds" => "--timeout",
        _ => "--" + field,
    };
}
