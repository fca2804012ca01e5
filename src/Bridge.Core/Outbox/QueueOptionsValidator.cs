using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Outbox;

/// <summary>
/// Names a queue name Azure Storage would refuse: 3 to 63 lowercase letters, digits and single hyphens, starting and
/// ending with a letter or digit, with room for the <c>-poison</c> suffix of its poison queue.
/// </summary>
public sealed partial class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    private const int MaxLength = 63 - 7;

    public ValidateOptionsResult Validate(string? name, QueueOptions options) =>
        options.Name is { Length: >= 3 and <= MaxLength } queue && QueueName().IsMatch(queue)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{QueueOptions.SectionName}:Name must be 3 to {MaxLength} lowercase letters, digits and single hyphens, starting and ending " +
                $"with a letter or digit (its poison queue adds '-poison'); it is '{options.Name}'.");

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex QueueName();
}
