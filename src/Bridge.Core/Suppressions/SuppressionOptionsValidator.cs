using Microsoft.Extensions.Options;

namespace Bridge.Core.Suppressions;

/// <summary>Fails the start with the key's name, not on the first bounce.</summary>
public sealed class SuppressionOptionsValidator : IValidateOptions<SuppressionOptions>
{
    public const int MaxDays = 3650;

    /// <summary>An hour at most: longer, a new key's first bounce could go on being ignored elsewhere for too long.</summary>
    public const int MaxAbsenceCacheSeconds = 3600;

    public ValidateOptionsResult Validate(string? name, SuppressionOptions options)
    {
        var failures = new List<string>();
        if (options.Days is < 1 or > MaxDays)
        {
            failures.Add($"{SuppressionOptions.SectionName}:Days must be between 1 and {MaxDays} (it is {options.Days}); leave it unset to keep suppressions until they are deleted.");
        }

        if (options.AbsenceCacheSeconds is < 0 or > MaxAbsenceCacheSeconds)
        {
            failures.Add($"{SuppressionOptions.SectionName}:AbsenceCacheSeconds must be between 0 (look up every delivery) and {MaxAbsenceCacheSeconds} (it is {options.AbsenceCacheSeconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
