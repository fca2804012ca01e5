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

    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        var failures = new List<string>();
        if (options.Name is not { Length: >= 3 and <= MaxLength } queue || !QueueName().IsMatch(queue))
        {
            failures.Add($"{QueueOptions.SectionName}:Name must be 3 to {MaxLength} lowercase letters, digits and single hyphens, starting and ending " +
                         $"with a letter or digit (its poison queue adds '-poison'); it is '{options.Name}'.");
        }

        if (options.ListenerLease is { } lease && (lease < QueueOptions.MinListenerLease || lease > QueueOptions.MaxListenerLease))
        {
            failures.Add($"{QueueOptions.SectionName}:ListenerLease must be between {QueueOptions.MinListenerLease} and {QueueOptions.MaxListenerLease} " +
                         $"(the listener's own lease); it is {lease}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex QueueName();
}
