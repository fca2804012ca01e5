using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bridge.Infra.Tests.Arm;

namespace Bridge.Infra.Tests.Infrastructure;

/// <summary>
/// Builds and lints infra/ once for every test that needs it (bicep takes seconds, the tests
/// milliseconds), and plans the compiled template for a set of sample parameters.
/// </summary>
public sealed class CompiledInfra : IAsyncLifetime
{
    public const string SampleApiKey = "sample-api-key-not-a-secret";

    public static readonly string SampleApiKeySha256 =
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SampleApiKey)));

    /// <summary>What a user answers when azd asks; everything else keeps its default.</summary>
    public static IReadOnlyDictionary<string, object?> SampleParameters { get; } = new Dictionary<string, object?>
    {
        ["environmentName"] = "bridge-test",
        ["location"] = "swedencentral",
        ["smtpHost"] = "smtp.example.org",
        ["smtpUsername"] = "relay@example.org",
        ["smtpAllowedFrom"] = "@example.org",
        ["apiKeySha256"] = SampleApiKeySha256,
    };

    private ArmObject? template;

    public BicepResult Build { get; private set; } = null!;

    public BicepResult Lint { get; private set; } = null!;

    /// <summary>The compiled ARM JSON of infra/main.bicep, exactly as bicep wrote it.</summary>
    public string TemplateJson => Build.ExitCode == 0 ? Build.StandardOutput : throw new InvalidOperationException(Build.ToString());

    public ArmObject Template => template ??= (ArmObject)Values.FromJson(JsonDocument.Parse(TemplateJson).RootElement)!;

    public async Task InitializeAsync()
    {
        var build = BicepCli.RunAsync("build", RepositoryPaths.MainBicep, "--stdout");
        // Linting main.bicep alone hides the modules' warnings; lint every file.
        var lint = BicepCli.RunAsync("lint", "--pattern", Path.Combine(RepositoryPaths.Infra, "**", "*.bicep"));
        Build = await build;
        Lint = await lint;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public PlannedDeployment Plan(params (string Name, object? Value)[] overrides)
    {
        var parameters = SampleParameters.ToDictionary();
        foreach (var (name, value) in overrides)
        {
            parameters[name] = value;
        }

        return new PlannedDeployment(Template, parameters);
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledInfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "Compiled infra";
}
