using System.CommandLine;
using System.CommandLine.Invocation;

namespace Bridge.Cli;

/// <summary>
/// The <c>bridge</c> command line: System.CommandLine's tree of commands (help on each, <c>--version</c>, the
/// <c>[suggest]</c> directive behind tab completion); each command's action is a thin call into the API or Core.
/// </summary>
public static class BridgeCli
{
    public const string Description = """
        bridge: send mail through a Bridge (HTTPS-to-SMTP relay), follow it, and check the setup.
        Exit codes: 0 done, 1 the command ran and did not succeed (Bridge refused or could not be reached,
        a check failed, a signature did not verify), 2 a wrong command line (nothing was done).
        """;

    public static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand(Description)
        {
            SendCommand.Create(context),
            StatusCommand.Create(context),
            ListCommand.Create(context),
            ReplayCommand.Create(context),
            DoctorCommand.Create(context),
            KeysCommand.Create(context),
            CallbacksCommand.Create(context),
            CompletionCommand.Create(context),
        };
        foreach (var refused in CliOptions.RefusedSecrets())
        {
            root.Add(refused);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var root = CreateRoot(context);
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction parseError)
        {
            // The errors, then the help of the command they are about, all on standard error; the exit code is ours (2).
            parseError.ShowHelp = true;
            await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Error, Error = context.Error }, cancellationToken);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,

            // Program.cs owns Ctrl+C (the first one cancels cleanly), and an exception is ours to report, not a stack dump.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("Cancelled.");
            return ExitCodes.Failed;
        }
        catch (HttpRequestException e)
        {
            await context.Error.WriteLineAsync($"Cannot reach Bridge: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            await context.Error.WriteLineAsync("Bridge did not answer within 60 seconds.");
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// A wrong command line found once the command runs (a value only Core can judge): each error on its own line and where
    /// to read the command's help, on standard error; exit 2.
    /// </summary>
    public static int UsageError(CliContext context, Command command, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            context.Error.WriteLine(error);
        }

        context.Error.WriteLine($"See 'bridge {string.Join(' ', PathOf(command))} --help'.");
        return ExitCodes.Usage;
    }

    private static IEnumerable<string> PathOf(Command command) =>
        command.Parents.OfType<Command>().FirstOrDefault() is { } parent and not RootCommand ? PathOf(parent).Append(command.Name) : [command.Name];
}
