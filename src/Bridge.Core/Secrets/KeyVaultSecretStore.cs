using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Bridge.Core.Secrets;

/// <summary>Secrets from Azure Key Vault (the production store).</summary>
public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    public async Task<string> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.GetSecretAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return secret.Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new SecretNotFoundException(name, $"Key Vault {client.VaultUri}");
        }
    }
}
