using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>Runs a short command to its end (chmod, chown, postfix start/stop) for the peers' fixtures.</summary>
internal static class ProcessRun
{
    /// <summary>Runs it and throws with what it said when it fails.</summary>
    public static async Task CheckedAsync(string file, params string[] args)
    {
        var (code, said) = await CapturedAsync(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {code}: {said}");
        }
    }

    /// <summary>Runs it and returns its exit code with its output and errors.</summary>
    public static async Task<(int Code, string Said)> CapturedAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
