using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.Infra.Tests.Arm;

/// <summary>
/// One template (the main one or a module's nested one) with the parameter values its caller
/// passed, able to evaluate the template's expressions the way ARM would. What only Azure
/// knows (identities' ids, endpoints, host names) comes back as a <see cref="Symbol"/>; a
/// function this evaluator does not know fails loudly rather than being guessed at.
/// </summary>
public sealed class TemplateScope
{
    private readonly ArmObject template;
    private readonly IReadOnlyDictionary<string, Lazy<object?>> suppliedParameters;
    private readonly Dictionary<string, object?> variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TemplateScope> modules = new(StringComparer.OrdinalIgnoreCase);

    public TemplateScope(string deploymentName, ArmObject template, IReadOnlyDictionary<string, Lazy<object?>> suppliedParameters)
    {
        DeploymentName = deploymentName;
        this.template = template;
        this.suppliedParameters = suppliedParameters;
    }

    public string DeploymentName { get; }

    public ArmObject Template => template;

    public void AddModule(TemplateScope module) => modules[module.DeploymentName] = module;

    public object? Parameter(string name)
    {
        if (suppliedParameters.TryGetValue(name, out var supplied))
        {
            return supplied.Value;
        }

        var definition = template.GetObject("parameters").TryGetValue(name, out var d) && d is ArmObject o
            ? o
            : throw new KeyNotFoundException($"Template '{DeploymentName}' declares no parameter '{name}'.");
        return definition.TryGetValue("defaultValue", out var defaultValue)
            ? Evaluate(defaultValue)
            : throw new InvalidOperationException($"Parameter '{name}' of '{DeploymentName}' has no value and no default.");
    }

    public object? Variable(string name)
    {
        if (!variables.TryGetValue(name, out var value))
        {
            var definitions = template.GetObject("variables");
            if (!definitions.TryGetValue(name, out var definition))
            {
                throw new KeyNotFoundException($"Template '{DeploymentName}' declares no variable '{name}'.");
            }

            value = Evaluate(definition);
            variables[name] = value;
        }

        return value;
    }

    public object? Output(string name) =>
        Evaluate(template.GetObject("outputs").GetObject(name)["value"]);

    /// <summary>Evaluates a template value: expression strings anywhere inside it, keys included.</summary>
    public object? Evaluate(object? value) => value switch
    {
        string s when s.StartsWith("[[", StringComparison.Ordinal) => s[1..],
        string s when s.StartsWith('[') && s.EndsWith(']') => Evaluate(ExpressionParser.Parse(s[1..^1])),
        ArmObject o => o.Aggregate(new ArmObject(), (result, p) =>
        {
            result[Values.AsText(Evaluate(p.Key))] = Evaluate(p.Value);
            return result;
        }),
        List<object?> list => list.Select(Evaluate).ToList(),
        _ => value,
    };

    public object? Evaluate(Expression expression) => expression switch
    {
        Literal literal => literal.Value,
        PropertyAccess access => Property(Evaluate(access.Target), access.Property),
        IndexAccess index => Index(Evaluate(index.Target), Evaluate(index.Index)),
        Call call => Invoke(call.Function, call.Arguments.Select(Evaluate).ToList()),
        _ => throw new NotSupportedException(expression.ToString()),
    };

    private static object? Property(object? target, string name) => target switch
    {
        ArmObject o when o.TryGetValue(name, out var value) => value,
        Symbol symbol => symbol.Property(name),
        _ => throw new KeyNotFoundException($"No property '{name}' on {Values.AsText(target)}."),
    };

    private static object? Index(object? target, object? index) => (target, index) switch
    {
        (List<object?> list, long i) => list[(int)i],
        (_, string name) => Property(target, name),
        _ => throw new NotSupportedException($"Cannot index {Values.AsText(target)} with {Values.AsText(index)}."),
    };

    private object? Invoke(string function, List<object?> args) => function.ToLowerInvariant() switch
    {
        "parameters" => Parameter(Text(args[0])),
        "variables" => Variable(Text(args[0])),
        "format" => string.Format(CultureInfo.InvariantCulture, Text(args[0]), args.Skip(1).Select(Values.AsText).ToArray<object>()),
        "concat" => args.All(a => a is List<object?>) ? args.SelectMany(a => (List<object?>)a!).ToList() : string.Concat(args.Select(Values.AsText)),
        "string" => Values.AsText(args[0]),
        "tolower" => Text(args[0]).ToLowerInvariant(),
        "toupper" => Text(args[0]).ToUpperInvariant(),
        "take" => args[0] is List<object?> list ? list.Take((int)(long)args[1]!).ToList() : new string(Text(args[0]).Take((int)(long)args[1]!).ToArray()),
        "length" => args[0] switch { List<object?> l => (long)l.Count, ArmObject o => (long)o.Count, var v => (long)Text(v).Length },
        "empty" => args[0] switch { null => true, string s => s.Length == 0, List<object?> l => l.Count == 0, ArmObject o => o.Count == 0, _ => false },
        "not" => !(bool)args[0]!,
        "greater" => (long)args[0]! > (long)args[1]!,
        "mul" => (long)args[0]! * (long)args[1]!,
        "createarray" => args.ToList(),
        "and" => args.All(a => (bool)a!),
        "or" => args.Any(a => (bool)a!),
        "equals" => Equals(args[0], args[1]),
        "if" => (bool)args[0]! ? args[1] : args[2],
        "true" => true,
        "false" => false,
        "null" => null,
        "createobject" => args.Chunk(2).Aggregate(new ArmObject(), (o, pair) =>
        {
            o[Text(pair[0])] = pair[1];
            return o;
        }),
        "union" => args.Cast<ArmObject>().Aggregate(new ArmObject(), (o, next) =>
        {
            foreach (var (key, value) in next)
            {
                o[key] = value;
            }

            return o;
        }),
        "uniquestring" => UniqueString(args),
        "guid" => $"guid({string.Join(", ", args.Select(Values.AsText))})",
        "subscription" => new ArmObject
        {
            ["id"] = "/subscriptions/00000000-0000-0000-0000-000000000000",
            ["subscriptionId"] = "00000000-0000-0000-0000-000000000000",
            ["tenantId"] = "11111111-1111-1111-1111-111111111111",
        },
        "tenant" => new ArmObject { ["tenantId"] = "11111111-1111-1111-1111-111111111111" },
        "resourceid" or "subscriptionresourceid" or "tenantresourceid" => ResourceId(args),
        "extensionresourceid" => ResourceId(args.Skip(1).ToList()),
        "reference" => Reference(Text(args[0])),
        _ => throw new NotSupportedException($"The test evaluator does not know ARM function '{function}'; teach it in TemplateScope."),
    };

    /// <summary>Resource ids are written <c>type/name</c>: everything here lives in one resource group.</summary>
    public static string ResourceId(string type, string name) => $"{type}/{name}";

    private static string ResourceId(List<object?> args) =>
        ResourceId(Text(args[0]), string.Join('/', args.Skip(1).Select(Values.AsText)));

    private object? Reference(string resourceId)
    {
        const string deployments = "Microsoft.Resources/deployments/";
        if (resourceId.StartsWith(deployments, StringComparison.OrdinalIgnoreCase))
        {
            var module = modules[resourceId[deployments.Length..]];
            var outputs = new ArmObject();
            foreach (var name in module.Template.GetObject("outputs").Keys)
            {
                outputs[name] = new ArmObject { ["value"] = module.Output(name) };
            }

            return new ArmObject { ["outputs"] = outputs };
        }

        return new Symbol($"reference({resourceId})");
    }

    /// <summary>Deterministic and 13 lowercase characters like ARM's, though not ARM's algorithm.</summary>
    private static string UniqueString(List<object?> args)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(Values.AsText))));
        return Convert.ToHexStringLower(hash)[..13];
    }

    private static string Text(object? value) =>
        value as string ?? throw new InvalidCastException($"Expected a string, got {Values.AsText(value)}.");
}
