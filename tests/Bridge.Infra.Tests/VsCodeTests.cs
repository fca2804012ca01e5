using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

/// <summary>.vscode/ must point at outputs the projects really build, or F5 and deploy break quietly.</summary>
public sealed partial class VsCodeTests
{
    private static readonly JsonDocumentOptions JsonWithComments = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static JsonElement Read(string file) =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRepository(Path.Combine(".vscode", file))), JsonWithComments).RootElement;

    private static IReadOnlyList<JsonElement> Tasks => Read("tasks.json").GetProperty("tasks").EnumerateArray().ToList();

    private static JsonElement Task(string label) =>
        Tasks.SingleOrDefault(t => t.TryGetProperty("label", out var l) && l.GetString() == label) is { ValueKind: JsonValueKind.Object } task
            ? task
            : throw new Xunit.Sdk.XunitException($"No task labelled '{label}' in .vscode/tasks.json.");

    private static JsonElement Configuration(string name) =>
        Read("launch.json").GetProperty("configurations").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static string Setting(string name) => Read("settings.json").GetProperty(name).GetString()!;

    [Fact]
    public void Every_build_output_path_uses_the_target_framework_its_project_builds()
    {
        var paths = Directory.EnumerateFiles(RepositoryPaths.InRepository(".vscode"), "*.json")
            .SelectMany(file => BuildOutputPath().Matches(File.ReadAllText(file)))
            .ToList();

        Assert.NotEmpty(paths);
        Assert.All(paths, path => Assert.Equal(TargetFramework(path.Groups["project"].Value), path.Groups["tfm"].Value));
    }

    [Fact]
    public void Func_host_starts_in_the_functions_debug_output_after_a_build()
    {
        var func = Task("func: host start");

        Assert.Equal("func", func.GetProperty("type").GetString());
        Assert.Equal("host start", func.GetProperty("command").GetString());
        Assert.Equal($"${{workspaceFolder}}/src/Bridge.Functions/bin/Debug/{TargetFramework("Bridge.Functions")}", func.GetProperty("options").GetProperty("cwd").GetString());
        Assert.Equal("$func-dotnet-watch", func.GetProperty("problemMatcher").GetString());
        Assert.True(func.GetProperty("isBackground").GetBoolean());
        Assert.Equal("src/Bridge.Functions", Cwd(Task(func.GetProperty("dependsOn").GetString()!)));
    }

    [Fact]
    public void Debugger_attaches_to_the_functions_worker_after_starting_the_host()
    {
        var attach = Configuration("Attach to .NET Functions");

        Assert.Equal("attach", attach.GetProperty("request").GetString());
        Assert.Equal("${command:azureFunctions.pickProcess}", attach.GetProperty("processId").GetString());
        Assert.Equal("func", Task(attach.GetProperty("preLaunchTask").GetString()!).GetProperty("type").GetString());
    }

    [Fact]
    public void Bridge_server_launches_its_built_dll_on_the_functions_port()
    {
        var server = Configuration("Launch Bridge.Server");

        Assert.Equal($"${{workspaceFolder}}/src/Bridge.Server/bin/Debug/{TargetFramework("Bridge.Server")}/Bridge.Server.dll", server.GetProperty("program").GetString());
        Assert.Equal("${workspaceFolder}/src/Bridge.Server", server.GetProperty("cwd").GetString());
        Assert.Equal("http://localhost:7071", server.GetProperty("env").GetProperty("ASPNETCORE_URLS").GetString());
        Assert.Equal("src/Bridge.Server", Cwd(Task(server.GetProperty("preLaunchTask").GetString()!)));
    }

    [Fact]
    public void Deploying_from_the_editor_publishes_a_release_build_and_ships_its_output()
    {
        var publish = Task(Setting("azureFunctions.preDeployTask"));

        Assert.Contains("publish", publish.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("Release", publish.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("src/Bridge.Functions", Cwd(publish));
        Assert.Equal($"src/Bridge.Functions/bin/Release/{TargetFramework("Bridge.Functions")}/publish", Setting("azureFunctions.deploySubpath"));
        Assert.Equal("src/Bridge.Functions", Setting("azureFunctions.projectSubpath"));
        Assert.Equal("C#", Setting("azureFunctions.projectLanguage"));
        Assert.Equal("~4", Setting("azureFunctions.projectRuntime"));
    }

    [Fact]
    public void A_task_runs_the_local_stack_script()
    {
        Assert.Contains(Tasks, t => t.GetRawText().Contains("scripts/run-local.sh", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_task_a_task_or_configuration_depends_on_exists()
    {
        var labels = Tasks.Select(t => t.GetProperty("label").GetString()).ToHashSet();
        var referenced = Tasks.Where(t => t.TryGetProperty("dependsOn", out _)).Select(t => t.GetProperty("dependsOn").GetString())
            .Concat(Read("launch.json").GetProperty("configurations").EnumerateArray()
                .Where(c => c.TryGetProperty("preLaunchTask", out _)).Select(c => c.GetProperty("preLaunchTask").GetString()))
            .Append(Setting("azureFunctions.preDeployTask"));

        Assert.All(referenced, label => Assert.Contains(label, labels));
    }

    [Fact]
    public void Recommended_extensions_cover_functions_csharp_bicep_and_azurite()
    {
        var recommended = Read("extensions.json").GetProperty("recommendations").EnumerateArray().Select(e => e.GetString()!.ToLowerInvariant());

        Assert.Equal(
            new[] { "azurite.azurite", "ms-azuretools.vscode-azurefunctions", "ms-azuretools.vscode-bicep", "ms-dotnettools.csdevkit", "ms-dotnettools.csharp" },
            recommended.Order());
    }

    /// <summary>A task's working directory relative to the workspace.</summary>
    private static string Cwd(JsonElement task) =>
        task.GetProperty("options").GetProperty("cwd").GetString()!.Replace("${workspaceFolder}/", "", StringComparison.Ordinal);

    /// <summary>The project's TargetFramework: its own csproj first, then Directory.Build.props.</summary>
    private static string TargetFramework(string project)
    {
        var csproj = RepositoryPaths.InRepository($"src/{project}/{project}.csproj");
        Assert.True(File.Exists(csproj), $"{csproj} does not exist");
        return DeclaredTargetFramework(csproj)
            ?? DeclaredTargetFramework(RepositoryPaths.InRepository("Directory.Build.props"))
            ?? throw new Xunit.Sdk.XunitException($"No TargetFramework for {project}.");
    }

    private static string? DeclaredTargetFramework(string file) =>
        XDocument.Load(file).Descendants("TargetFramework").Select(e => e.Value.Trim()).FirstOrDefault();

    [GeneratedRegex(@"src/(?<project>[A-Za-z.]+)/bin/(Debug|Release)/(?<tfm>[^/""]+)")]
    private static partial Regex BuildOutputPath();
}
