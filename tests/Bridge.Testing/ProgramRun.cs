using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>Runs a program to its end, bounded, and returns its exit code and both output streams.</summary>
public static class ProgramRun
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string program, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        using var wait = new CancellationTokenSource(limit);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(wait.Token);
            var error = process.StandardError.ReadToEndAsync(wait.Token);
            await process.WaitForExitAsync(wait.Token);
            return (process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not end within {limit}.");
        }
    }
}
