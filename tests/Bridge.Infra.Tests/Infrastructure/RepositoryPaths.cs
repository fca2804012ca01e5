using System.Reflection;

namespace Bridge.Infra.Tests.Infrastructure;

/// <summary>Paths the build wrote into this assembly (see the csproj), so nothing is guessed.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Infra { get; } = Path.Combine(Root, "infra");

    public static string MainBicep { get; } = Path.Combine(Infra, "main.bicep");

    /// <summary>The bicep executable inside the Azure.Bicep.CommandLine.linux-x64 package; BICEP_PATH overrides it.</summary>
    public static string Bicep { get; } =
        Environment.GetEnvironmentVariable("BICEP_PATH") is { Length: > 0 } overridden ? overridden : Metadata("BicepPath");

    public static string InRepository(string relativePath) => Path.Combine(Root, relativePath);

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing; see Bridge.Infra.Tests.csproj.");
}
