using Bridge.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Housekeeping;

/// <summary>
/// Payloads must outlive every message that may still send them: a retention shorter than the maximum message age
/// would sweep the payload of a scheduled or retried message before its last attempt.
/// </summary>
public sealed class PayloadRetentionOptionsValidator(IOptions<DeliveryOptions> delivery) : IValidateOptions<PayloadRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, PayloadRetentionOptions options) =>
        options.Retention < delivery.Value.MaxAge
            ? ValidateOptionsResult.Fail(
                $"{PayloadRetentionOptions.SectionName}:Retention ({options.Retention}) must be at least {DeliveryOptions.SectionName}:MaxAge " +
                $"({delivery.Value.MaxAge}), or payloads of messages still being retried are swept.")
            : ValidateOptionsResult.Success;
}
