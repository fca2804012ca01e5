using System.Text.Json;

namespace Bridge.Testing;

/// <summary>Reads a host's built runtimeconfig.json: the runtime settings it starts with.</summary>
public static class HostRuntimeConfig
{
    public static JsonElement Property(string project, string name)
    {
        var path = Path.Combine(RepoPaths.BuildOutput(project), $"{project}.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty(name).Clone();
    }
}
