using System.Reflection;
using NetArchTest.Rules;

namespace Bridge.Core.Tests.Architecture;

/// <summary>
/// Keeps Bridge.Core's feature folders in one direction (a type two features need lives in the lower
/// one, never in a loop) and keeps hosting out of Core. Dependencies are read from the compiled IL,
/// so they count whatever a type really uses, not only its using lines.
/// </summary>
public sealed class FeatureDependencyTests
{
    private const string Root = "Bridge.Core";

    /// <summary>Shared HTTP plumbing every feature's endpoints may use; not a feature.</summary>
    private const string SharedHttp = Root + ".Http";

    private static readonly Assembly Core = typeof(DependencyInjection).Assembly;

    [Fact]
    public void Feature_namespaces_depend_on_each_other_one_way()
    {
        var graph = FeatureGraph();

        Assert.True(graph.Count > 5, $"Expected the feature namespaces of {Root}; found {string.Join(", ", graph.Keys)}.");
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"Feature namespaces in a loop: {cycle}. Move the type both need to the lower feature.");
    }

    [Fact]
    public void A_cycle_between_features_is_found()
    {
        var graph = new Dictionary<string, IReadOnlyCollection<string>>
        {
            ["Messages"] = ["Events"],
            ["Events"] = ["Storage"],
            ["Storage"] = ["Messages"],
            ["Auth"] = ["Storage"],
        };

        Assert.Equal("Storage -> Messages -> Events -> Storage", FindCycle(graph));
    }

    [Fact]
    public void Core_has_no_Functions_or_host_types()
    {
        var result = Types.InAssembly(Core).ShouldNot().HaveDependencyOnAny(
                "Microsoft.Azure.Functions",
                "Microsoft.Azure.WebJobs",
                "Microsoft.AspNetCore.Hosting",
                "Microsoft.AspNetCore.Server",
                "Microsoft.AspNetCore.Builder.WebApplication")
            .GetResult();

        Assert.True(result.IsSuccessful, "Host types in Bridge.Core: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>
    /// Feature → the features its types use. The root namespace is shared (used by all, like Http),
    /// and endpoint classes are left out: an endpoint may call on several features.
    /// </summary>
    private static Dictionary<string, IReadOnlyCollection<string>> FeatureGraph()
    {
        var features = Core.GetTypes()
            .Select(t => FeatureOf(t.Namespace))
            .OfType<string>()
            .Distinct()
            .Order()
            .ToList();
        var types = Types.InAssembly(Core);
        return features.ToDictionary(
            feature => feature,
            feature => (IReadOnlyCollection<string>)features
                .Where(other => other != feature && Uses(types, feature, other))
                .ToList());
    }

    private static bool Uses(Types types, string feature, string other) =>
        !types.That().ResideInNamespace($"{Root}.{feature}")
            .And().DoNotHaveNameEndingWith("Endpoint")
            .ShouldNot().HaveDependencyOn($"{Root}.{other}")
            .GetResult().IsSuccessful;

    private static string? FeatureOf(string? ns)
    {
        if (ns is null || !ns.StartsWith(Root + ".", StringComparison.Ordinal) || ns == SharedHttp || ns.StartsWith(SharedHttp + ".", StringComparison.Ordinal))
        {
            return null;
        }

        return ns[(Root.Length + 1)..].Split('.')[0];
    }

    /// <summary>The first cycle found, as "A -> B -> A", or null when the graph is one-way.</summary>
    private static string? FindCycle(IReadOnlyDictionary<string, IReadOnlyCollection<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();

        string? Visit(string node)
        {
            if (path.IndexOf(node) is var at and >= 0)
            {
                return string.Join(" -> ", path.Skip(at).Append(node));
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Order().Select(Visit).FirstOrDefault(c => c is not null);
    }
}
