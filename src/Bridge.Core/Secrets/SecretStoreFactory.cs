using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;

namespace Bridge.Core.Secrets;

/// <summary>Chooses the secret store: Key Vault when <c>Bridge:KeyVault:Uri</c> is set, configuration otherwise.</summary>
public static class SecretStoreFactory
{
    public const string KeyVaultUriKey = "Bridge:KeyVault:Uri";

    public static ISecretStore Create(IConfiguration configuration, Action<SecretClientOptions>? configure = null)
    {
        if (configuration[KeyVaultUriKey] is not { Length: > 0 } uri)
        {
            return new ConfigurationSecretStore(configuration);
        }

        var options = new SecretClientOptions();
        configure?.Invoke(options);
        return new KeyVaultSecretStore(new SecretClient(new Uri(uri), CreateCredential(configuration), options));
    }

    /// <summary>The app's managed identity when AZURE_CLIENT_ID names it; the default chain (developer sign-in) otherwise.</summary>
    public static TokenCredential CreateCredential(IConfiguration configuration) =>
        configuration["AZURE_CLIENT_ID"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
