using Azure;
using Azure.Identity;
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
        // Anything else is the vault or the identity being unavailable for now, after the client's own retries:
        // the caller defers, it does not crash.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && WhyUnavailable(e) is { } reason)
        {
            throw new SecretStoreUnavailableException(name, $"Key Vault {client.VaultUri}", reason, e);
        }
    }

    /// <summary>Says why in a few words; an exception's own text can carry response content, so only status and code are kept.</summary>
    private static string? WhyUnavailable(Exception error) => error switch
    {
        RequestFailedException { Status: 0 } => "the vault did not answer",
        RequestFailedException e => $"it answered {e.Status} {e.ErrorCode}".TrimEnd(),
        // The retry policy gives up with every try's failure.
        AggregateException e when e.InnerExceptions.Count > 0 && e.InnerExceptions.All(i => i is RequestFailedException) =>
            $"{WhyUnavailable(e.InnerExceptions[^1])} ({e.InnerExceptions.Count} tries)",
        AuthenticationFailedException => "the managed identity got no access token",
        _ => null,
    };
}
