using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Bridge.Core.Secrets;
using GoogleHttpClientFactory = Google.Apis.Http.IHttpClientFactory;

namespace Bridge.Core.Delivery.OAuth;

/// <summary>
/// Builds the credential a profile's OAuth settings describe: an Azure.Identity one for a Microsoft
/// app registration (client secret or certificate, read by name from the secret store) or the app's
/// managed identity; or, for a Google service account (its JSON key read by name from the store),
/// <see cref="GoogleServiceAccountCredential"/>. Each call builds a new credential, and so a new token cache.
/// </summary>
/// <param name="configureOptions">
/// Applied to every Azure.Identity credential's options last: the place to give Azure.Identity another
/// HTTP transport (a proxy, or a test authority's pinned certificate). Certificate validation is
/// whatever that transport does; Bridge itself never turns it off.
/// </param>
/// <param name="googleHttp">The same seam for Google's token endpoint; null means Google's default client.</param>
public sealed class OAuthCredentialFactory(
    SecretCache secrets,
    Action<TokenCredentialOptions>? configureOptions = null,
    GoogleHttpClientFactory? googleHttp = null)
{
    private static readonly Uri[] KnownAuthorityHosts =
        [AzureAuthorityHosts.AzurePublicCloud, AzureAuthorityHosts.AzureGovernment, AzureAuthorityHosts.AzureChina];

    /// <param name="profile">A profile with OAuth settings; its Username is the mailbox a Google service account acts as.</param>
    /// <param name="rereadSecrets">Read the client secret, certificate or key from the store, not the cache: it may have rotated.</param>
    public async Task<TokenCredential> CreateAsync(SmtpProfile profile, bool rereadSecrets, CancellationToken cancellationToken)
    {
        var oauth = profile.OAuth ?? throw new ArgumentException("The profile has no OAuth settings.", nameof(profile));
        if (oauth.ServiceAccountKeyName is { Length: > 0 } keyName)
        {
            var key = await ReadSecretAsync(keyName, rereadSecrets, cancellationToken).ConfigureAwait(false);
            return GoogleServiceAccountCredential.FromKey(key, keyName, profile.Username!, googleHttp);
        }

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
