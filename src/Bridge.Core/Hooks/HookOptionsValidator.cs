using Bridge.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Hooks;

/// <summary>Stops the process at start, naming the key, when a hook is misconfigured or one of its templates does not parse.</summary>
public sealed class HookOptionsValidator(IOptions<SmtpOptions> smtp, LiquidTemplates liquid) : IValidateOptions<HookOptions>
{
    public ValidateOptionsResult Validate(string? name, HookOptions options)
    {
        var failures = new List<string>();
        foreach (var (hookName, entry) in options)
        {
            Hook.Compile(hookName, entry, smtp.Value, liquid, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
