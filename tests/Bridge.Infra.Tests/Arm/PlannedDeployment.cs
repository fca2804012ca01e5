namespace Bridge.Infra.Tests.Arm;

/// <summary>A resource the template would create, with every expression in it evaluated.</summary>
/// <param name="Module">Deployment name of the module that declares it; empty for main.bicep.</param>
/// <param name="Deployed">False when its condition is false for these parameters.</param>
public sealed record PlannedResource(string Module, string Type, string Name, bool Deployed, ArmObject Body)
{
    public string Id => TemplateScope.ResourceId(Type, Name);

    /// <summary>The symbol ARM's reference() gives for this resource's runtime properties.</summary>
    public Symbol Reference => new($"reference({Id})");

    public ArmObject Properties => Body.GetObject("properties");

    public override string ToString() => $"{Type} '{Name}' (module '{Module}')";
}

/// <summary>
/// What a compiled template would deploy for one set of parameter values: every resource of
/// every module, flattened, and the template's outputs.
/// </summary>
public sealed class PlannedDeployment
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    private readonly TemplateScope main;
    private readonly List<PlannedResource> resources = [];

    public PlannedDeployment(ArmObject template, IReadOnlyDictionary<string, object?> parameters)
    {
        main = new TemplateScope("", template, parameters.ToDictionary(p => p.Key, p => new Lazy<object?>(() => p.Value), StringComparer.OrdinalIgnoreCase));
        Plan(main, deployed: true);
    }

    /// <summary>Every resource, modules' included; deployment resources themselves too.</summary>
    public IReadOnlyList<PlannedResource> Resources => resources;

    public IEnumerable<PlannedResource> OfType(string type) =>
        resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public PlannedResource Single(string type)
    {
        var matches = OfType(type).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {type}, found {matches.Count}: {string.Join(", ", matches)}");
    }

    public object? Output(string name) => main.Output(name);

    public IEnumerable<string> OutputNames => main.Template.GetObject("outputs").Keys;

    private void Plan(TemplateScope scope, bool deployed)
    {
        var declared = scope.Template["resources"] switch
        {
            List<object?> list => list.Cast<ArmObject>(),
            ArmObject byName => byName.Values.Cast<ArmObject>(), // languageVersion 2.0 templates
            _ => [],
        };

        foreach (var resource in declared)
        {
            if (resource.ContainsKey("copy"))
            {
                throw new NotSupportedException("Resource loops are not evaluated by these tests; extend PlannedDeployment.");
            }

            if (resource.TryGetValue("existing", out var existing) && existing is true)
            {
                continue;
            }

            var isDeployed = deployed && (!resource.TryGetValue("condition", out var condition) || scope.Evaluate(condition) is true);
            var type = (string)resource["type"]!;
            var name = Values.AsText(scope.Evaluate(resource["name"]));

            if (string.Equals(type, DeploymentType, StringComparison.OrdinalIgnoreCase))
            {
                var module = PlanModule(scope, name, resource);
                scope.AddModule(module);
                // The nested template stays as it is; the rest (dependsOn, scope) is evaluated.
                var body = new ArmObject();
                foreach (var (key, value) in resource.Where(p => p.Key != "properties"))
                {
                    body[key] = scope.Evaluate(value);
                }

                body["properties"] = resource["properties"];
                resources.Add(new PlannedResource(scope.DeploymentName, type, name, isDeployed, body));
                Plan(module, isDeployed);
            }
            else
            {
                resources.Add(new PlannedResource(scope.DeploymentName, type, name, isDeployed, (ArmObject)scope.Evaluate(resource)!));
            }
        }
    }

    private static TemplateScope PlanModule(TemplateScope parent, string name, ArmObject deployment)
    {
        var properties = deployment.GetObject("properties");
        // Evaluated on first use, in the caller's scope: a value may read another module's outputs.
        var passed = new Dictionary<string, Lazy<object?>>(StringComparer.OrdinalIgnoreCase);
        if (properties.TryGetValue("parameters", out var parameters) && parameters is ArmObject values)
        {
            foreach (var (parameter, value) in values)
            {
                // A value Bicep can only decide at deployment (a conditional module's output) comes as one
                // expression yielding the whole { value } object.
                passed[parameter] = new Lazy<object?>(() => value is ArmObject literal
                    ? parent.Evaluate(literal["value"])
                    : ((ArmObject)parent.Evaluate(value)!)["value"]);
            }
        }

        return new TemplateScope(name, properties.GetObject("template"), passed);
    }
}
