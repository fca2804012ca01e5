using System.Globalization;
using System.Text.Json;

namespace Bridge.Infra.Tests.Arm;

/// <summary>
/// Evaluated template values are plain CLR values: string, long, bool, null,
/// <see cref="ArmObject"/>, <see cref="List{T}"/> of values, or a <see cref="Symbol"/>.
/// </summary>
public sealed class ArmObject() : Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
{
    /// <summary>Follows a dotted path such as <c>properties.siteConfig.minTlsVersion</c>.</summary>
    public object? Get(string path)
    {
        object? current = this;
        foreach (var part in path.Split('.'))
        {
            current = current is ArmObject o && o.TryGetValue(part, out var next)
                ? next
                : throw new KeyNotFoundException($"'{path}' has no '{part}'.");
        }

        return current;
    }

    public ArmObject GetObject(string path) =>
        Get(path) as ArmObject ?? throw new InvalidCastException($"'{path}' is not an object.");

    public List<object?> GetArray(string path) =>
        Get(path) as List<object?> ?? throw new InvalidCastException($"'{path}' is not an array.");

    public bool Has(string path)
    {
        object? current = this;
        foreach (var part in path.Split('.'))
        {
            if (current is not ArmObject o || !o.TryGetValue(part, out current))
            {
                return false;
            }
        }

        return true;
    }
}

public static class Values
{
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new ArmObject(), (o, p) =>
        {
            o[p.Name] = FromJson(p.Value);
            return o;
        }),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static string AsText(object? value) => value switch
    {
        null => "",
        string s => s,
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        Symbol symbol => symbol.Text,
        _ => JsonSerializer.Serialize(value),
    };
}
