using Microsoft.Extensions.Options;

namespace Bridge.Core.Bounces;

/// <summary>Bound from <c>Bridge:Bounces</c>.</summary>
public sealed class BounceOptions
{
    public const string SectionName = "Bridge:Bounces";

    /// <summary>How often each profile's bounce mailbox is read, in seconds.</summary>
    public int PollSeconds { get; set; } = 60;
}

/// <summary>Fails the start with the key's name, not on the first poll.</summary>
public sealed class BounceOptionsValidator : IValidateOptions<BounceOptions>
{
    /// <summary>The Functions timer fires this often (<see cref="BouncePoller.Schedule"/>), so a shorter interval cannot be kept.</summary>
    public const int MinPollSeconds = 15;

    public const int MaxPollSeconds = 86_400;

    public ValidateOptionsResult Validate(string? name, BounceOptions options) =>
        options.PollSeconds is < MinPollSeconds or > MaxPollSeconds
            ? ValidateOptionsResult.Fail($"{BounceOptions.SectionName}:PollSeconds must be between {MinPollSeconds} and {MaxPollSeconds} (it is {options.PollSeconds}).")
            : ValidateOptionsResult.Success;
}
