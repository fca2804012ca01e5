using System.Diagnostics;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// Runs one of the browser scripts in tests/peers (node, npm playwright-core, Debian's chromium) and reads the
/// JSON line it prints. BRIDGE_PLAYWRIGHT_MODULES names the node_modules folder holding playwright-core
/// (default: .tools/npm-playwright-core/node_modules, where scripts/install-tools.sh puts it).
/// </summary>
internal static class BrowserPeer
{
    public static async Task<JsonElement> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
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

        start.Environment["BRIDGE_PLAYWRIGHT_MODULES"] = Environment.GetEnvironmentVariable("BRIDGE_PLAYWRIGHT_MODULES") is { Length: > 0 } modules
            ? modules
            : RepoPaths.Combine(".tools", "npm-playwright-core", "node_modules");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The browser run ({script}) did not end within 60 s: " + await error);
        }

        Assert.True(process.ExitCode == 0, $"The browser run ({script}) failed ({process.ExitCode}): {await error}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
