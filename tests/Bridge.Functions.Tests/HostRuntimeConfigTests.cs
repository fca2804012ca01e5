using System.Text.Json;
using Bridge.Testing;

namespace Bridge.Functions.Tests;

/// <summary>The runtime settings both hosts are built with, read from the runtimeconfig.json the runtime reads.</summary>
public sealed class HostRuntimeConfigTests
{
    [Theory]
    [InlineData("Bridge.Functions")]
    [InlineData("Bridge.Server")]
    public void Objects_under_1_MiB_stay_off_the_large_object_heap(string host)
    {
        var path = Path.Combine(RepoPaths.BuildOutput(host), $"{host}.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));

        var threshold = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.GC.LOHThreshold");

        Assert.Equal(1024 * 1024, threshold.GetInt32());
    }
}
