using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bridge.Infra.Tests.Infrastructure;

/// <summary>What one bicep command printed, and the diagnostics among it.</summary>
public sealed partial record BicepResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Lines such as <c>main.bicep(3,7) : Warning no-unused-params: ...</c>, once each.</summary>
    public IReadOnlyList<string> Diagnostics =>
        (StandardError + "\n" + StandardOutput).Split('\n')
            .Select(line => line.Trim())
            .Where(line => DiagnosticLine().IsMatch(line))
            .Distinct()
            .ToList();

    public override string ToString() =>
        $"bicep {Command} exited {ExitCode}\n{(Diagnostics.Count > 0 ? string.Join('\n', Diagnostics) : StandardError)}";

    [GeneratedRegex(@"\) : (Error|Warning|Info) ")]
    private static partial Regex DiagnosticLine();
}

/// <summary>Runs the bicep CLI that the NuGet package Azure.Bicep.CommandLine.linux-x64 ships.</summary>
public static class BicepCli
{
    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var executable = RepositoryPaths.Bicep;
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"No bicep at {executable}: run `dotnet restore`, or set BICEP_PATH on a machine that is not linux-x64.");
        }

        EnsureExecutable(executable);

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Infra,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new BicepResult(string.Join(' ', arguments), process.ExitCode, await output, await error);
    }

    /// <summary>NuGet extracts the binary with the owner's execute bit only; make sure we may run it.</summary>
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        const UnixFileMode executeBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & executeBits) != executeBits)
        {
            try
            {
                File.SetUnixFileMode(path, mode | executeBits);
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to change; if the owner bit suffices for us, running it still works.
            }
        }
    }
}
