namespace Bridge.Core.Delivery.OAuth;

/// <summary>
/// How a profile logs in with OAuth 2.0 instead of a password, bound from
/// <c>Bridge:Smtp:Profiles:&lt;name&gt;:OAuth</c>. The profile's Username is the mailbox; the access
/// token comes from Microsoft Entra ID through Azure.Identity, either for an app registration
/// (TenantId, ClientId and a client secret or certificate kept in the secret store, by name) or for
/// the app's own managed identity.
/// </summary>
public sealed class OAuthProfile
{
    /// <summary>Exchange Online's scope for SMTP, IMAP and POP with the client credentials flow.</summary>
    public const string DefaultScope = "https://outlook.office365.com/.default";

    /// <summary>The Entra tenant (directory) id, or its domain name: required for an app registration.</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration's application (client) id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The name of the secret that holds the app's client secret value (never the value itself).</summary>
    public string? ClientSecretName { get; set; }

    /// <summary>
    /// The name of a certificate kept in Key Vault, used instead of a client secret: Key Vault serves
    /// its PFX (with the private key) as the secret of the same name.
    /// </summary>
    public string? ClientCertificateName { get; set; }

    /// <summary>Gets the token for the app's own managed identity instead of an app registration.</summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>The client id of a user-assigned managed identity; empty means the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public string Scope { get; set; } = DefaultScope;

    /// <summary>The Entra sign-in host for a sovereign cloud (e.g. https://login.microsoftonline.us); empty means the public cloud.</summary>
    public string? AuthorityHost { get; set; }

    /// <summary>What the profile logs in as, for messages: never a secret.</summary>
    public string Describe() => UseManagedIdentity
        ? ManagedIdentityClientId is { Length: > 0 } id ? $"the user-assigned managed identity '{id}'" : "the app's system-assigned managed identity"
        : $"the app registration '{ClientId}' in tenant '{TenantId}'";
}
