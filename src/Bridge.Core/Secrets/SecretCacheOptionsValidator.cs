using Microsoft.Extensions.Options;

namespace Bridge.Core.Secrets;

/// <summary>Names a cache lifetime that cannot work: zero or negative would read Key Vault on every connection.</summary>
public sealed class SecretCacheOptionsValidator : IValidateOptions<SecretCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretCacheOptions options) =>
        options.TimeToLive <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"{SecretCacheOptions.SectionName}:TimeToLive must be longer than zero (it is {options.TimeToLive}).")
            : ValidateOptionsResult.Success;
}
