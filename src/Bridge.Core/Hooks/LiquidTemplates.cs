using System.Collections.Concurrent;
using System.Globalization;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.FileProviders;

namespace Bridge.Core.Hooks;

/// <summary>
/// The Liquid engine (Fluid) as hooks use it: one parser, each template source parsed once and kept, and a
/// sandbox: no files to include, no .NET members to reach, unknown filters and unknown variables are errors,
/// and a bounded number of steps so a loop cannot hold the request.
/// </summary>
public sealed class LiquidTemplates
{
    public const int MaxSteps = 100_000;

    private readonly FluidParser parser = new();
    private readonly ConcurrentDictionary<string, (IFluidTemplate? Template, string? Error)> parsed = new(StringComparer.Ordinal);
    private readonly TemplateOptions options;

    public LiquidTemplates(TimeProvider time)
    {
        options = new TemplateOptions
        {
            StrictFilters = true,
            MaxSteps = MaxSteps,
            FileProvider = new NullFileProvider(),
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            Now = time.GetUtcNow,
            Undefined = name => throw new UndefinedValueException(name),
        };
    }

    /// <summary>Parses <paramref name="source"/> (or returns it as parsed before); on a syntax error, says where.</summary>
    public bool TryParse(string source, out IFluidTemplate template, out string error)
    {
        var (result, message) = parsed.GetOrAdd(source, s => parser.TryParse(s, out var t, out var e) ? (t, null) : (null, e));
        (template, error) = (result!, message is null ? "" : ErrorText.FirstLine(message));
        return result is not null;
    }

    /// <summary>A fresh rendering context holding only <paramref name="values"/>.</summary>
    public TemplateContext NewContext(IEnumerable<KeyValuePair<string, FluidValue>> values)
    {
        var context = new TemplateContext(options);
        foreach (var (name, value) in values)
        {
            context.SetValue(name, value);
        }

        return context;
    }
}
