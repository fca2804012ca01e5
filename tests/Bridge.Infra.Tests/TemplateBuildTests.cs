using System.Text.RegularExpressions;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

[Collection(CompiledInfraCollection.Name)]
public sealed partial class TemplateBuildTests(CompiledInfra infra)
{
    [Fact]
    public void Main_template_builds_without_errors_or_warnings()
    {
        Assert.True(infra.Build.ExitCode == 0 && infra.Build.Diagnostics.Count == 0, infra.Build.ToString());
    }

    [Fact]
    public void Every_bicep_file_passes_the_linter_without_errors_or_warnings()
    {
        Assert.True(infra.Lint.ExitCode == 0 && infra.Lint.Diagnostics.Count == 0, infra.Lint.ToString());
    }

    [Fact]
    public void Modules_are_local_files_so_the_template_builds_offline()
    {
        var references = Directory.EnumerateFiles(RepositoryPaths.Infra, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(file => ModuleReference().Matches(File.ReadAllText(file))
                .Select(match => (File: file, Path: match.Groups["path"].Value)))
            .ToList();

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            Assert.DoesNotMatch("^(br|ts)[:/]", reference.Path);
            Assert.True(
                File.Exists(Path.Combine(Path.GetDirectoryName(reference.File)!, reference.Path)),
                $"{reference.File} uses missing module {reference.Path}");
        });
    }

    [GeneratedRegex(@"^\s*module\s+\w+\s+'(?<path>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleReference();
}
