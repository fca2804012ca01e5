using System.Globalization;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Callbacks;

/// <summary>Names the bad key at start: a retry delay that is not a time span or beyond the queue's 7-day limit, a bad timeout or jitter.</summary>
public sealed class CallbackOptionsValidator : IValidateOptions<CallbackOptions>
{
    /// <summary>A queue message cannot be hidden for longer (the visibility limit).</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, CallbackOptions options)
    {
        var failures = new List<string>();
        const string section = CallbackOptions.SectionName;
        foreach (var delay in ConfigList.Split(options.RetryDelays))
        {
            if (!TimeSpan.TryParse(delay, CultureInfo.InvariantCulture, out var parsed) || parsed < TimeSpan.Zero || parsed > MaxDelay)
            {
                failures.Add($"{section}:RetryDelays entry '{delay}' must be a time span (hh:mm:ss) from 0 to 7 days.");
            }
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{section}:Timeout must be more than 0 and at most 00:05:00.");
        }

        if (options.RetryJitter is < 0 or >= 1 || double.IsNaN(options.RetryJitter))
        {
            failures.Add($"{section}:RetryJitter must be from 0 up to (not including) 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
