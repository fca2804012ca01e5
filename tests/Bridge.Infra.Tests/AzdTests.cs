using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Infra.Tests.Arm;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

/// <summary>azure.yaml and infra/main.parameters.json, which `azd up` reads.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class AzdTests(CompiledInfra infra)
{
    private static readonly string AzureYaml = File.ReadAllText(RepositoryPaths.InRepository("azure.yaml"));

    private static IReadOnlyList<string> ParametersAzdPasses()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.parameters.json")));
        return file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();
    }

    [Fact]
    public void Location_is_limited_to_regions_that_offer_flex_consumption()
    {
        var allowed = ((List<object?>)infra.Template.GetObject("parameters").GetObject("location")["allowedValues"]!).Cast<string>().ToList();

        Assert.Contains(CompiledInfra.SampleParameters["location"], allowed);
        Assert.Contains("eastus", allowed);
        Assert.DoesNotContain("westindia", allowed); // no Flex Consumption there: refused before anything is created
    }

    [Fact]
    public void Azd_version_is_required_so_an_old_azd_stops_before_provisioning()
    {
        Assert.Matches(new Regex(@"(?m)^requiredVersions:\s*\n\s+azd:\s*"">= \d+\.\d+\.\d+""$"), AzureYaml);
    }

    [Fact]
    public void Every_parameter_azd_passes_is_declared_by_the_template()
    {
        var declared = infra.Template.GetObject("parameters").Keys;

        Assert.All(ParametersAzdPasses(), name => Assert.Contains(name, declared));
    }

    [Fact]
    public void Every_required_template_parameter_is_mapped_so_azd_fills_or_prompts_for_it()
    {
        var required = infra.Template.GetObject("parameters")
            .Where(p => !((ArmObject)p.Value!).ContainsKey("defaultValue"))
            .Select(p => p.Key);

        Assert.All(required, name => Assert.Contains(name, ParametersAzdPasses()));
    }

    [Fact]
    public void Azd_environment_name_and_location_feed_the_template()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.parameters.json"));

        Assert.Contains("\"${AZURE_ENV_NAME}\"", text, StringComparison.Ordinal);
        Assert.Contains("\"${AZURE_LOCATION}\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_yaml_names_the_project_and_points_at_the_bicep_in_infra()
    {
        Assert.Matches(new Regex(@"^name:\s*bridge\s*$", RegexOptions.Multiline), AzureYaml);
        var infraBlock = Block("infra");
        Assert.Matches(new Regex(@"^\s+provider:\s*bicep\s*$", RegexOptions.Multiline), infraBlock);
        Assert.Matches(new Regex(@"^\s+path:\s*infra\s*$", RegexOptions.Multiline), infraBlock);
        Assert.Matches(new Regex(@"^\s+module:\s*main\s*$", RegexOptions.Multiline), infraBlock);
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_the_api_service()
    {
        var api = Regex.Match(Block("services"), @"^  api:\s*\n(?<body>(?:    .*\n?)+)", RegexOptions.Multiline).Groups["body"].Value;

        Assert.Matches(new Regex(@"^\s+project:\s*\./src/Bridge\.Functions/?\s*$", RegexOptions.Multiline), api);
        Assert.Matches(new Regex(@"^\s+language:\s*dotnet\s*$", RegexOptions.Multiline), api);
        Assert.Matches(new Regex(@"^\s+host:\s*function\s*$", RegexOptions.Multiline), api);
        Assert.True(File.Exists(RepositoryPaths.InRepository("src/Bridge.Functions/Bridge.Functions.csproj")));
    }

    [Fact]
    public void Azd_finds_the_function_app_by_the_service_name_in_azure_yaml()
    {
        var serviceName = ServiceName().Match(Block("services")).Groups["name"].Value;

        Assert.Equal(serviceName, infra.Plan().Single(AzureTypes.Site).Body.Get("tags.azd-service-name"));
    }

    /// <summary>A top-level key's indented lines.</summary>
    private static string Block(string key) =>
        Regex.Match(AzureYaml, $@"^{key}:\s*\n(?<body>(?:(?:[ ]+.*|\s*)\n?)+)", RegexOptions.Multiline).Groups["body"].Value;

    [GeneratedRegex(@"^  (?<name>[a-z][a-z0-9-]*):\s*$", RegexOptions.Multiline)]
    private static partial Regex ServiceName();
}
