namespace Bridge.Core.Delivery.OAuth;

/// <summary>
/// How a profile logs in with OAuth 2.0 instead of a password, bound from
/// <c>Bridge:Smtp:Profiles:&lt;name&gt;:OAuth</c>. The profile's Username is the mailbox. The access
/// token comes one of three ways: from Microsoft Entra ID through Azure.Identity, for an app
/// registration (TenantId, ClientId and a client secret or certificate kept in the secret store, by
/// name) or for the app's own managed identity; or from Google, for a service account with
/// domain-wide delegation (its JSON key kept in the secret store, by name) acting as the mailbox.
/// </summary>
public sealed class OAuthProfile
{
    /// <summary>Exchange Online's scope for SMTP, IMAP and POP with the client credentials flow.</summary>
    public const string ExchangeScope = "https://outlook.office365.com/.default";

    /// <summary>Gmail's scope for IMAP, POP and SMTP: the only one smtp.gmail.com takes.</summary>
    public const string GoogleMailScope = "https://mail.google.com/";

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

    /// <summary>
    /// The name of the secret that holds a Google service account's JSON key file, whole (never the
    /// key itself). The account must have domain-wide delegation; it acts as the profile's Username.
    /// </summary>
    public string? ServiceAccountKeyName { get; set; }

    /// <summary>The scope to ask for; unset means the provider's own (<see cref="DefaultScope"/>).</summary>
    public string Scope
    {
        get => field ?? DefaultScope;
        set;
    }

    /// <summary>The scope SMTP takes at this profile's provider: Google's for a service account, Exchange Online's otherwise.</summary>
    public string DefaultScope => UsesGoogleServiceAccount ? GoogleMailScope : ExchangeScope;

    /// <summary>The token comes from Google for a service account, not from Microsoft Entra ID.</summary>
    public bool UsesGoogleServiceAccount => !string.IsNullOrEmpty(ServiceAccountKeyName);

    /// <summary>The Entra sign-in host for a sovereign cloud (e.g. https://login.microsoftonline.us); empty means the public cloud.</summary>
    public string? AuthorityHost { get; set; }

    /// <summary>What the profile logs in as, for messages: never a secret.</summary>
    public string Describe() => this switch
    {
        { UsesGoogleServiceAccount: true } => $"the Google service account whose key is the secret '{ServiceAccountKeyName}'",
        { UseManagedIdentity: true, ManagedIdentityClientId: { Length: > 0 } id } => $"the user-assigned managed identity '{id}'",
        { UseManagedIdentity: true } => "the app's system-assigned managed identity",
        _ => $"the app registration '{ClientId}' in tenant '{TenantId}'",
    };
}
