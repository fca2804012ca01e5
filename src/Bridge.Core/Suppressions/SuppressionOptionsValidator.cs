using Microsoft.Extensions.Options;

namespace Bridge.Core.Suppressions;

/// <summary>Fails the start with the key's name, not on the first bounce.</summary>
public sealed class SuppressionOptionsValidator : IValidateOptions<SuppressionOptions>
{
    public const int MaxDays = 3650;

    public ValidateOptionsResult Validate(string? name, SuppressionOptions options) =>
        options.Days is < 1 or > MaxDays
            ? ValidateOptionsResult.Fail(
                $"{SuppressionOptions.SectionName}:Days must be between 1 and {MaxDays} (it is {options.Days}); leave it unset to keep suppressions until they are deleted.")
            : ValidateOptionsResult.Success;
}
