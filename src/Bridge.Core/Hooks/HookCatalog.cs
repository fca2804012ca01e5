using Bridge.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Hooks;

/// <summary>The configured hooks by name (any case), compiled once from validated options.</summary>
public sealed class HookCatalog
{
    private readonly Dictionary<string, Hook> hooks = new(StringComparer.OrdinalIgnoreCase);

    public HookCatalog(IOptions<HookOptions> options, IOptions<SmtpOptions> smtp, LiquidTemplates liquid)
    {
        var failures = new List<string>();
        foreach (var (name, entry) in options.Value)
        {
            if (Hook.Compile(name, entry, smtp.Value, liquid, failures) is { } hook)
            {
                hooks[name] = hook;
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(HookOptions.SectionName, typeof(HookOptions), failures);
        }
    }

    public Hook? Find(string name) => hooks.GetValueOrDefault(name);
}
