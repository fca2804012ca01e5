using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Bridge.Core.Identity;
using Microsoft.Extensions.Configuration;

namespace Bridge.Core.Secrets;

/// <summary>Chooses the secret store: Key Vault when <c>Bridge:KeyVault:Uri</c> is set, configuration otherwise.</summary>
public static class SecretStoreFactory
{
    public const string KeyVaultUriKey = KeyVaultOptions.SectionName + ":Uri";

    /// <param name="vault">The bound <c>Bridge:KeyVault</c> section.</param>
    /// <param name="configuration">Where configuration secrets and the identity's client id are read.</param>
    /// <param name="configure">Lets a test give the client its transport (a pinned certificate); production passes nothing.</param>
    public static ISecretStore Create(KeyVaultOptions vault, IConfiguration configuration, Action<SecretClientOptions>? configure = null)
    {
        if (vault.Uri is null)
        {
            return new ConfigurationSecretStore(configuration);
        }

        var options = new SecretClientOptions { DisableChallengeResourceVerification = vault.DisableChallengeResourceVerification };
        configure?.Invoke(options);
        return new KeyVaultSecretStore(new SecretClient(vault.Uri, CreateCredential(configuration), options));
    }

    /// <summary>The app's user-assigned managed identity when <see cref="ManagedIdentityOptions"/>' rule names one; the default chain (developer sign-in) otherwise.</summary>
    public static TokenCredential CreateCredential(IConfiguration configuration) =>
        ManagedIdentityOptions.From(configuration).EffectiveClientId is { } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
