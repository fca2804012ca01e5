using System.Text.Json;

namespace Bridge.IntegrationTests;

/// <summary>
/// Runs one of the browser scripts in tests/peers (node, npm playwright-core, Debian's chromium) and reads the
/// JSON line it prints. BRIDGE_PLAYWRIGHT_MODULES names the node_modules folder holding playwright-core
/// (default: .tools/npm-playwright-core/node_modules, where scripts/install-tools.sh puts it).
/// </summary>
internal static class BrowserPeer
{
    public static Task<JsonElement> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var withModules = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        var (name, value) = NodePeer.Modules("BRIDGE_PLAYWRIGHT_MODULES", "npm-playwright-core");
        withModules[name] = value;
        return NodePeer.RunAsync(script, arguments, withModules);
    }
}
