using System.CommandLine;
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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Printed to a terminal, not embedded in HTML: keep '<', '>' and '→' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(CliContext context)
    {
        var profile = new Option<string?>("--profile") { Description = $"Diagnose this configured SMTP profile (default: \"{SmtpOptions.DefaultProfile}\").", HelpName = "name" };
        var host = new Option<string?>("--host") { Description = "Diagnose an inline profile at this host instead; the password comes from " + PasswordVariable + " or a prompt." };
        var port = new Option<int?>("--port") { Description = "The inline profile's port (default by --security: 587, 465 or 25).", HelpName = "n" };
        var security = new Option<string?>("--security") { Description = "The inline profile's TLS mode.", HelpName = "StartTls|SslOnConnect|None" };
        security.CompletionSources.Add(Enum.GetNames<SmtpSecurity>());
        var user = new Option<string?>("--user") { Description = "The inline profile's user name.", HelpName = "name" };
        var trust = new Option<string?>("--trust") { Description = "Trust a server certificate with this SHA-256 thumbprint (a test server's).", HelpName = "sha256" };
        var insecureAuth = new Option<bool>("--allow-insecure-auth") { Description = "Allow AUTH without TLS (Security None; local servers only)." };
        Option[] inlineOptions = [host, port, security, user, trust, insecureAuth];
        var to = AddressOption("--to", "Where the test message goes (checked at RCPT; sent with --send).");
        var from = AddressOption("--from", "The sender to test (and whose domain --dns checks).");
        var send = new Option<bool>("--send") { Description = "Also send a test message to --to." };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds each step may take (1 to 120).", HelpName = "seconds" };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > 120)
            {
                result.AddError("--timeout must be between 1 and 120 seconds.");
            }
        });
        var transcript = new Option<bool>("--transcript") { Description = "Print the SMTP conversation even when every step passed (the password masked)." };
        var json = CliOptions.Json("The report as JSON (the shape POST /api/v1/smtp/diagnose answers).");
        var dns = new Option<bool>("--dns") { Description = "Check the sender domain's DNS (SPF, DKIM, DMARC, MX, blocklists) instead of the SMTP steps." };
        var all = new Option<bool>("--all") { Description = "Both the SMTP steps and the DNS checks." };

        var command = new Command("doctor",
            "Diagnose an SMTP profile step by step and say the fix (exit 0 only when every step passed). A configured profile comes from " +
            "appsettings.json in the current folder and environment variables (Bridge__Smtp__Profiles__default__Host=...), its secrets from " +
            "Bridge:KeyVault:Uri or Bridge:Secrets, as in the hosts.")
        {
            profile, host, port, security, user, trust, insecureAuth, to, from, send, timeout, transcript, json, dns, all,
        };
        command.Validators.Add(result =>
        {
            if (result.Has(profile) && inlineOptions.Any(o => result.Has(o)))
            {
                result.AddError("Use --profile for a configured profile or --host for an inline one, not both.");
            }

            if (result.GetValue(send) && !result.Has(to))
            {
                result.AddError("--send needs --to <address>: where the test message goes.");
            }
        });
        command.SetAction((parsed, cancellationToken) =>
        {
            var inline = inlineOptions.Any(o => parsed.CommandResult.Has(o))
                ? new InlineArguments(parsed.GetValue(host), parsed.GetValue(port), parsed.GetValue(security), parsed.GetValue(user), parsed.GetValue(trust),
                    parsed.GetValue(insecureAuth))
                : null;
            var checks = parsed.GetValue(all) ? DoctorChecks.All : parsed.GetValue(dns) ? DoctorChecks.Dns : DoctorChecks.Smtp;
            var request = new DoctorRun(parsed.GetValue(profile) ?? SmtpOptions.DefaultProfile, inline, parsed.GetValue(timeout), parsed.GetValue(to),
                parsed.GetValue(from), parsed.GetValue(send), checks, parsed.GetValue(json), parsed.GetValue(transcript));
            return RunAsync(context, command, request, CliConfiguration.Load(context), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Command command, DoctorRun request, IConfiguration configuration, CancellationToken cancellationToken)
    {
        SmtpProfile? inlineProfile = null;
        if (request.Inline is { } inline)
        {
            var errors = new ValidationErrors();
            inlineProfile = InlineProfile.Create(inline.Host, inline.Port, inline.Security, inline.User, inline.Trust, inline.AllowInsecureAuth,
                request.Timeout, errors);
            if (inlineProfile is null || !errors.IsEmpty)
            {
                return BridgeCli.UsageError(context, command, errors.ToDictionary().SelectMany(e => e.Value.Select(m => $"{FlagFor(e.Key)} {m}.")));
            }
        }

        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(configuration)
            .AddBridgeCore(configuration)
            .BuildServiceProvider();
        var target = inlineProfile is not null
            ? InlineTarget(inlineProfile, context)
            : ConfiguredTarget(request.Profile, request.Timeout, services, context);
        if (target is null)
        {
            return ExitCodes.Failed;
        }

        var run = new DiagnosisTarget(target.ProfileName, target.Profile)
        {
            Password = target.Password,
            TestRecipient = request.To,
            TestSender = request.From,
            Send = request.Send,
            Checks = request.Checks,
        };
        if (run.Checks.HasFlag(DoctorChecks.Dns) && run.SenderDomain is null)
        {
            return BridgeCli.UsageError(context, command,
                ["--dns needs --from <address>: the sender whose domain is checked (the profile has no address to default to)."]);
        }

        var diagnosis = await ActivatorUtilities.GetServiceOrCreateInstance<SmtpDoctor>(services).DiagnoseAsync(run, cancellationToken);
        if (request.Json)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(DiagnosisView.Of(diagnosis), Json));
        }
        else
        {
            DiagnosisReportWriter.Write(diagnosis, context.Out, includeTranscript: request.Transcript || !diagnosis.Passed);
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

    private static Option<string?> AddressOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "address",
        CustomParser = result => TestAddress.TryParse(result.Tokens[0].Value, out var address)
            ? address
            : CliOptions.Error<string>(result, $"{name} must be an email address (got '{result.Tokens[0].Value}')."),
    };

    private static string FlagFor(string field) => field switch
    {
        "timeoutSeconds" => "--timeout",
        _ => "--" + field,
    };

    /// <summary>An inline profile as typed; <see cref="InlineProfile.Create"/> checks it as the diagnose endpoint does.</summary>
    private sealed record InlineArguments(string? Host, int? Port, string? Security, string? User, string? Trust, bool AllowInsecureAuth);

    /// <summary>What one <c>bridge doctor</c> asks for.</summary>
    private sealed record DoctorRun(string Profile, InlineArguments? Inline, int? Timeout, string? To, string? From, bool Send, DoctorChecks Checks,
        bool Json, bool Transcript);
}
