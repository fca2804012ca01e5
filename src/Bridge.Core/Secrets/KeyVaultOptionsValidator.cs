using Microsoft.Extensions.Options;

namespace Bridge.Core.Secrets;

/// <summary>Names a Key Vault URI that cannot work: not absolute, or not HTTPS (the client would send its token in the clear).</summary>
public sealed class KeyVaultOptionsValidator : IValidateOptions<KeyVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options) =>
        options.Uri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps)
            ? ValidateOptionsResult.Fail(
                $"{SecretStoreFactory.KeyVaultUriKey} must be the vault's https URI (https://<name>.vault.azure.net/); it is '{uri.OriginalString}'.")
            : ValidateOptionsResult.Success;
}
