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
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(RepoPaths.Combine("tests", "peers", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not end within {limit.TotalSeconds} s: " + await error);
        }

        Assert.True(process.ExitCode == 0, $"node {script} failed ({process.ExitCode}): {await error}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }

    /// <summary>
    /// "<paramref name="variable"/>" = the node_modules folder it names, or .tools/<paramref name="toolFolder"/>/node_modules.
    /// </summary>
    public static KeyValuePair<string, string> Modules(string variable, string toolFolder) =>
        new(variable, Environment.GetEnvironmentVariable(variable) is { Length: > 0 } modules
            ? modules
            : RepoPaths.Combine(".tools", toolFolder, "node_modules"));
}
