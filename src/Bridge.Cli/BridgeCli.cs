namespace Bridge.Cli;

/// <summary>The <c>bridge</c> command line: picks the command and leaves the work to it.</summary>
public static class BridgeCli
{
    public const string Usage = """
        Usage:
          bridge doctor [--profile <name>]                      diagnose a configured SMTP profile (default: "default")
          bridge doctor --host <host> [--port <n>] [--security StartTls|SslOnConnect|None]
                        [--user <name>] [--trust <sha256>] [--allow-insecure-auth]
                                                                diagnose an inline profile; the password comes from
                                                                BRIDGE_SMTP_PASSWORD or a prompt
            common:     [--to <address>] [--from <address>] [--send] [--timeout <seconds>] [--transcript] [--json]
          bridge keys new --name <name> [--scopes send,read]    make an API key and print the settings that store its hash
          bridge list [--status <s>] [--to <address>] [--from <address>] [--tag <tag>] [--since <time>] [--until <time>]
                      [--limit <n>] [--cursor <c>] [--all] [--json]
                                                                a running Bridge's messages, newest first
          bridge replay --ids <id,id,...> | --status poisoned|failed [--since <time>] [--until <time>]
                                                                put poisoned or failed messages back on the queue (admin key)
            list and replay: [--url <https://host>] or BRIDGE_URL; the key from BRIDGE_API_KEY or a prompt
          bridge callbacks verify --body <file> (--headers <file> | --id <id> --timestamp <unix s> --signature <v1,...>)
                                  [--max-age <seconds>]
                                                                check a saved callback's signature; the secret (whsec_...)
                                                                from BRIDGE_CALLBACK_SECRET or a prompt. Exit 0 signed with
                                                                it, 1 not, 2 wrong command line or unreadable files

        doctor reads appsettings.json (and appsettings.<DOTNET_ENVIRONMENT>.json) in the current folder and
        environment variables (Bridge__Smtp__Profiles__default__Host=...), and secrets from Bridge:KeyVault:Uri
        or Bridge:Secrets, as the Bridge hosts do. Exit code: 0 when every step passed, 1 when one failed, 2 for
        a wrong command line.
        """;

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            return args switch
            {
                ["doctor", .. var rest] => await DoctorCommand.RunAsync(rest, context, CliConfiguration.Load(context), cancellationToken),
                ["keys", "new", .. var rest] => NewKeyCommand.Run(rest, context),
                ["list", .. var rest] => await ListCommand.RunAsync(rest, context, cancellationToken),
                ["replay", .. var rest] => await ReplayCommand.RunAsync(rest, context, cancellationToken),
                ["callbacks", "verify", .. var rest] => await CallbacksVerifyCommand.RunAsync(rest, context, cancellationToken),
                [] or ["help" or "--help" or "-h", ..] => ShowUsage(context.Out, ExitCodes.Ok),
                _ => ShowUsage(context.Error, ExitCodes.Usage),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("Cancelled.");
            return ExitCodes.Failed;
        }
    }

    public static int UsageError(CliContext context, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            context.Error.WriteLine(error);
        }

        context.Error.WriteLine();
        return ShowUsage(context.Error, ExitCodes.Usage);
    }

    private static int ShowUsage(TextWriter writer, int exitCode)
    {
        writer.WriteLine(Usage);
        return exitCode;
    }
}
