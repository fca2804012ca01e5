using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using Fluid.Values;

namespace Bridge.Core.Hooks;

/// <summary>
/// A JSON object or array as Liquid sees it, knowing its own path, so that a template that reads a field the
/// payload lacks fails with that field's name (<c>payload.issue.titel</c>) instead of rendering an empty string.
/// A field that is present but null is nil: it renders empty, is false in a condition and takes <c>default</c>.
/// Strings, numbers and booleans become Fluid's own values, so every filter works on them.
/// </summary>
public sealed class PayloadValue : FluidValue
{
    private readonly JsonElement element;
    private readonly string path;

    private PayloadValue(JsonElement element, string path) => (this.element, this.path) = (element, path);

    public override FluidValues Type => element.ValueKind == JsonValueKind.Array ? FluidValues.Array : FluidValues.Dictionary;

    /// <summary>The Liquid value of <paramref name="element"/>, found at <paramref name="path"/>.</summary>
    public static FluidValue Of(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => StringValue.Create(element.GetString()!),
        JsonValueKind.Number => element.TryGetDecimal(out var number) ? NumberValue.Create(number) : StringValue.Create(element.GetRawText()),
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        JsonValueKind.Object or JsonValueKind.Array => new PayloadValue(element, path),
        _ => NilValue.Instance,
    };

    public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return element.TryGetProperty(name, out var child) ? new(Of(child, $"{path}.{name}")) : throw new UndefinedValueException($"{path}.{name}");
        }

        var length = element.GetArrayLength();
        return name switch
        {
            "size" => new(NumberValue.Create(length)),
            "first" when length > 0 => new(Item(0)),
            "last" when length > 0 => new(Item(length - 1)),
            _ => throw new UndefinedValueException($"{path}.{name}"),
        };
    }

    public override ValueTask<FluidValue> GetIndexAsync(FluidValue index, TemplateContext context)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return GetValueAsync(index.ToStringValue(), context);
        }

        var position = (int)index.ToNumberValue();
        var length = element.GetArrayLength();
        if (position < 0)
        {
            position += length; // Liquid counts negative indexes from the end.
        }

        return position >= 0 && position < length ? new(Item(position)) : throw new UndefinedValueException($"{path}[{position}]");
    }

    /// <summary>An array's items; an object's <c>[key, value]</c> pairs, as Liquid iterates a hash.</summary>
    public override IEnumerable<FluidValue> Enumerate(TemplateContext context) => element.ValueKind == JsonValueKind.Array
        ? Items()
        : element.EnumerateObject().Select(p => (FluidValue)new ArrayValue([StringValue.Create(p.Name), Of(p.Value, $"{path}.{p.Name}")]));

    /// <summary><c>hash contains "key"</c> tests for a field; <c>array contains value</c> for an item.</summary>
    public override bool Contains(FluidValue value) => element.ValueKind == JsonValueKind.Object
        ? element.TryGetProperty(value.ToStringValue(), out _)
        : Items().Any(item => item.Equals(value));

    public override bool Equals(FluidValue other) => other is PayloadValue payload && payload.element.GetRawText() == element.GetRawText();

    public override bool ToBooleanValue() => true;

    public override decimal ToNumberValue() => 0;

    /// <summary>An object or array written into a template comes out as its JSON.</summary>
    public override string ToStringValue() => element.GetRawText();

    public override object ToObjectValue() => element;

    public override ValueTask WriteToAsync(TextWriter writer, TextEncoder encoder, CultureInfo cultureInfo)
    {
        encoder.Encode(writer, ToStringValue());
        return ValueTask.CompletedTask;
    }

    public override bool Equals(object? obj) => obj is FluidValue other && Equals(other);

    public override int GetHashCode() => element.GetRawText().GetHashCode(StringComparison.Ordinal);

    private FluidValue Item(int position) => Of(element[position], $"{path}[{position}]");

    private IEnumerable<FluidValue> Items() => Enumerable.Range(0, element.GetArrayLength()).Select(Item);
}
