namespace Bridge.Core.Delivery.OAuth;

/// <summary>The OAuth part of a profile's start-up check: each failure names the key to fix.</summary>
public static class OAuthProfileValidator
{
    /// <param name="key">The profile's key, <c>Bridge:Smtp:Profiles:&lt;name&gt;</c>.</param>
    public static IEnumerable<string> Validate(string key, SmtpProfile profile)
    {
        if (profile.OAuth is not { } oauth)
        {
            yield break;
        }

        var section = $"{key}:OAuth";
        if (string.IsNullOrWhiteSpace(profile.Username))
        {
            yield return $"{key}:Username is required with OAuth: it is the mailbox to send as.";
        }

        if (!string.IsNullOrEmpty(profile.PasswordSecret))
        {
            yield return $"{key}:PasswordSecret and {section} are both set; a profile logs in one way: remove one.";
        }

        if (profile.Security == SmtpSecurity.None && !profile.AllowInsecureAuth)
        {
            yield return $"{key}: Security is None, so the OAuth access token would travel in plain text; " +
                         $"use StartTls or SslOnConnect, or set {key}:AllowInsecureAuth=true for local work only.";
        }

        var credential = (oauth.UseManagedIdentity, oauth.UsesGoogleServiceAccount) switch
        {
            (true, true) => [$"{section}: UseManagedIdentity=true and ServiceAccountKeyName are both set; a profile gets its token " +
                             "one way (a Microsoft managed identity, or a Google service account): remove one."],
            (true, false) => ManagedIdentity(section, oauth),
            (false, true) => GoogleServiceAccount(key, section, profile, oauth),
            _ => AppRegistration(section, oauth),
        };
        foreach (var failure in credential)
        {
            yield return failure;
        }

        if (string.IsNullOrWhiteSpace(oauth.Scope) || oauth.Scope.Any(char.IsWhiteSpace))
        {
            yield return $"{section}:Scope must be one scope, such as {oauth.DefaultScope}, or left out for that default.";
        }

        if (oauth.AuthorityHost is { Length: > 0 } host
            && !(Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            yield return $"{section}:AuthorityHost must be an https:// address, such as https://login.microsoftonline.us.";
        }
    }

    private static IEnumerable<string> ManagedIdentity(string section, OAuthProfile oauth)
    {
        if (!string.IsNullOrEmpty(oauth.ClientSecretName) || !string.IsNullOrEmpty(oauth.ClientCertificateName))
        {
            yield return $"{section}: ClientSecretName and ClientCertificateName are not used with UseManagedIdentity=true " +
                         "(the identity needs no secret): remove them.";
        }

        if (oauth.ManagedIdentityClientId is { Length: > 0 } identity && !Guid.TryParse(identity, out _))
        {
            yield return $"{section}:ManagedIdentityClientId must be the user-assigned identity's client id (a GUID).";
        }
    }

    private static IEnumerable<string> GoogleServiceAccount(string key, string section, SmtpProfile profile, OAuthProfile oauth)
    {
        if (!SecretName.IsValid(oauth.ServiceAccountKeyName))
        {
            yield return $"{section}:ServiceAccountKeyName must be a secret name of letters and digits only " +
                         "(the secret holds the service account's JSON key file; the key itself never goes in configuration).";
        }

        var microsoftOnly = new (string Name, string? Value)[]
        {
            (nameof(OAuthProfile.TenantId), oauth.TenantId), (nameof(OAuthProfile.ClientId), oauth.ClientId),
            (nameof(OAuthProfile.ClientSecretName), oauth.ClientSecretName), (nameof(OAuthProfile.ClientCertificateName), oauth.ClientCertificateName),
            (nameof(OAuthProfile.ManagedIdentityClientId), oauth.ManagedIdentityClientId), (nameof(OAuthProfile.AuthorityHost), oauth.AuthorityHost),
        };
        foreach (var (name, _) in microsoftOnly.Where(setting => !string.IsNullOrEmpty(setting.Value)))
        {
            yield return $"{section}:{name} is for Microsoft Entra ID and is not used with ServiceAccountKeyName (a Google " +
                         "service account, whose key file names its own client): remove it.";
        }

        if (profile.Username is { Length: > 0 } user && !user.Contains('@', StringComparison.Ordinal))
        {
            yield return $"{key}:Username must be the email address of the Workspace user the service account acts as.";
        }
    }

    private static IEnumerable<string> AppRegistration(string section, OAuthProfile oauth)
    {
        if (string.IsNullOrWhiteSpace(oauth.TenantId))
        {
            yield return $"{section}:TenantId is required (the directory id or domain), or set {section}:UseManagedIdentity=true, " +
                         $"or {section}:ServiceAccountKeyName for a Google service account.";
        }
        else if (!oauth.TenantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            yield return $"{section}:TenantId must be a directory id (GUID) or a domain name.";
        }

        if (string.IsNullOrWhiteSpace(oauth.ClientId))
        {
            yield return $"{section}:ClientId is required: the app registration's application (client) id.";
        }
        else if (!Guid.TryParse(oauth.ClientId, out _))
        {
            yield return $"{section}:ClientId must be the app registration's application (client) id, a GUID.";
        }

        var secret = oauth.ClientSecretName;
        var certificate = oauth.ClientCertificateName;
        if (string.IsNullOrEmpty(secret) == string.IsNullOrEmpty(certificate))
        {
            yield return $"{section}: set exactly one of ClientSecretName or ClientCertificateName (the secret's name, not its value).";
        }

        if (secret is { Length: > 0 } && !SecretName.IsValid(secret))
        {
            yield return $"{section}:ClientSecretName must be a secret name of letters and digits only.";
        }

        if (certificate is { Length: > 0 } && !SecretName.IsValid(certificate))
        {
            yield return $"{section}:ClientCertificateName must be a certificate name of letters and digits only.";
        }
    }
}
