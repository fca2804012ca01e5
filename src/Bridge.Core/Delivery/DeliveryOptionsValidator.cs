using Microsoft.Extensions.Options;

namespace Bridge.Core.Delivery;

/// <summary>Names a delivery setting that cannot work at start: a zero or negative time, a jitter that could make a delay negative.</summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    private static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, value) in new[]
                 {
                     (nameof(DeliveryOptions.InitialRetryDelay), options.InitialRetryDelay),
                     (nameof(DeliveryOptions.MaxRetryDelay), options.MaxRetryDelay),
                     (nameof(DeliveryOptions.MaxAge), options.MaxAge),
                     (nameof(DeliveryOptions.SendingLease), options.SendingLease),
                     (nameof(DeliveryOptions.RecordWait), options.RecordWait),
                     (nameof(DeliveryOptions.NoopAfterIdle), options.NoopAfterIdle),
                     (nameof(DeliveryOptions.MaxIdle), options.MaxIdle),
                     (nameof(DeliveryOptions.CircuitCoolDown), options.CircuitCoolDown),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{DeliveryOptions.SectionName}:{key} must be longer than zero (it is {value}).");
            }
        }

        if (options.MaxRetryDelay < options.InitialRetryDelay)
        {
            failures.Add($"{DeliveryOptions.SectionName}:MaxRetryDelay ({options.MaxRetryDelay}) must not be shorter than InitialRetryDelay ({options.InitialRetryDelay}).");
        }

        // A retry is a queue message sent with a visibility delay, which Azure Storage caps at seven days.
        if (options.MaxRetryDelay > MaxQueueDelay)
        {
            failures.Add($"{DeliveryOptions.SectionName}:MaxRetryDelay ({options.MaxRetryDelay}) must be at most 7 days, the queue's longest visibility delay.");
        }

        if (options.RetryJitter is < 0 or >= 1)
        {
            failures.Add($"{DeliveryOptions.SectionName}:RetryJitter must be at least 0 and below 1 (a fraction of each delay); it is {options.RetryJitter}.");
        }

        if (options.CircuitBreakAfter < 1)
        {
            failures.Add($"{DeliveryOptions.SectionName}:CircuitBreakAfter must be 1 or more; it is {options.CircuitBreakAfter}.");
        }

        if (options.MaxConnectionsPerProfile < 1)
        {
            failures.Add($"{DeliveryOptions.SectionName}:MaxConnectionsPerProfile must be 1 or more; it is {options.MaxConnectionsPerProfile}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
