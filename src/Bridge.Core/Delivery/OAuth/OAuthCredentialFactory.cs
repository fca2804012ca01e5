using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Bridge.Core.Secrets;

namespace Bridge.Core.Delivery.OAuth;

/// <summary>
/// Builds the Azure.Identity credential a profile's OAuth settings describe: client secret or
/// certificate for an app registration (read by name from the secret store), or the app's managed
/// identity. Each call builds a new credential, and so a new token cache.
/// </summary>
/// <param name="configureOptions">
/// Applied to every credential's options last: the place to give Azure.Identity another HTTP
/// transport (a proxy, or a test authority's pinned certificate). Certificate validation is
/// whatever that transport does; Bridge itself never turns it off.
/// </param>
public sealed class OAuthCredentialFactory(SecretCache secrets, Action<TokenCredentialOptions>? configureOptions = null)
{
    private static readonly Uri[] KnownAuthorityHosts =
        [AzureAuthorityHosts.AzurePublicCloud, AzureAuthorityHosts.AzureGovernment, AzureAuthorityHosts.AzureChina];

    /// <param name="rereadSecrets">Read the client secret or certificate from the store, not the cache: it may have rotated.</param>
    public async Task<TokenCredential> CreateAsync(OAuthProfile oauth, bool rereadSecrets, CancellationToken cancellationToken)
    {
        if (oauth.UseManagedIdentity)
        {
            var identity = oauth.ManagedIdentityClientId is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned;
            return new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(identity), oauth));
        }

        if (oauth.ClientCertificateName is { Length: > 0 } certificateName)
        {
            // Key Vault serves a certificate's PFX, private key included, as the secret of the same name.
            var pfx = await ReadSecretAsync(certificateName, rereadSecrets, cancellationToken).ConfigureAwait(false);
            var certificate = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(pfx), null);
            return new ClientCertificateCredential(oauth.TenantId, oauth.ClientId, certificate,
                Configure(new ClientCertificateCredentialOptions { DisableInstanceDiscovery = IsCustomAuthority(oauth) }, oauth));
        }

        var secret = await ReadSecretAsync(oauth.ClientSecretName!, rereadSecrets, cancellationToken).ConfigureAwait(false);
        return new ClientSecretCredential(oauth.TenantId, oauth.ClientId, secret,
            Configure(new ClientSecretCredentialOptions { DisableInstanceDiscovery = IsCustomAuthority(oauth) }, oauth));
    }

    private async Task<string> ReadSecretAsync(string name, bool reread, CancellationToken cancellationToken)
    {
        if (reread)
        {
            secrets.Invalidate(name);
        }

        return await secrets.GetSecretAsync(name, cancellationToken).ConfigureAwait(false);
    }

    private T Configure<T>(T options, OAuthProfile oauth) where T : TokenCredentialOptions
    {
        if (oauth.AuthorityHost is { Length: > 0 } host)
        {
            options.AuthorityHost = new Uri(host);
        }

        configureOptions?.Invoke(options);
        return options;
    }

    /// <summary>
    /// Instance discovery asks Microsoft's cloud for metadata about the authority, which only its own
    /// clouds can answer: an authority elsewhere (Azure Stack, a private one) must skip it.
    /// </summary>
    private static bool IsCustomAuthority(OAuthProfile oauth) =>
        oauth.AuthorityHost is { Length: > 0 } host
        && !KnownAuthorityHosts.Any(known => Uri.Compare(known, new Uri(host), UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);
}
