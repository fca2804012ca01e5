using System.Diagnostics;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// Runs one of the Node scripts in tests/peers (a browser driver, an official mail SDK) and reads the JSON line it
/// prints. Each script finds its npm packages through an environment variable naming a node_modules folder, by
/// default the one scripts/install-tools.sh fills under .tools/.
/// </summary>
internal static class NodePeer
{
    public static async Task<JsonElement> RunAsync(
        string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("node");
        start.ArgumentList.Add(RepoPaths.Combine("tests", "peers", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return JsonDocument.Parse(await RunAsync(start, timeout ?? TimeSpan.FromSeconds(60))).RootElement.Clone();
    }

    /// <summary>Runs a process to its end within <paramref name="timeout"/>, asserts it succeeded, and returns what it printed.</summary>
    public static async Task<string> RunAsync(ProcessStartInfo start, TimeSpan timeout, string? context = null)
    {
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        var command = $"{start.FileName} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not end within {timeout.TotalSeconds} s: {await error}\n{context}");
        }

        Assert.True(process.ExitCode == 0, $"{command} failed ({process.ExitCode}):\n{await output}\n{await error}\n{context}");
        return await output;
    }

    /// <summary>
    /// "<paramref name="variable"/>" = the node_modules folder it names, or .tools/<paramref name="toolFolder"/>/node_modules.
    /// </summary>
    public static KeyValuePair<string, string> Modules(string variable, string toolFolder) =>
        new(variable, Environment.GetEnvironmentVariable(variable) is { Length: > 0 } modules
            ? modules
            : RepoPaths.Combine(".tools", toolFolder, "node_modules"));
}
