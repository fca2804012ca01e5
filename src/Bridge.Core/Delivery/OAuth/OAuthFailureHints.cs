using Bridge.Core.Events;
using Google.Apis.Auth.OAuth2.Responses;

namespace Bridge.Core.Delivery.OAuth;

/// <summary>
/// What to fix when a modern (OAuth) login fails, in plain words, with the provider's own names for
/// things. The steps themselves are in docs/providers.md.
/// </summary>
public static class OAuthFailureHints
{
    public const string ProvidersDoc = "docs/providers.md";

    /// <summary>Microsoft 365's enhanced status when SMTP AUTH is switched off for the mailbox or the tenant.</summary>
    public const string SmtpAuthDisabledCode = "5.7.139";

    /// <summary>Whether a refused login's reply says SMTP AUTH is off (5.7.139): no credential, old or new, gets past that.</summary>
    public static bool IsSmtpAuthDisabled(string? reply) => reply?.Contains(SmtpAuthDisabledCode, StringComparison.Ordinal) == true;

    /// <summary>The hint for a refused login that OAuth or the provider explains better than the password hint; null otherwise.</summary>
    public static string? ForRefusedLogin(SmtpProfile profile, SmtpReply? reply)
    {
        if (IsSmtpAuthDisabled(reply?.Reply))
        {
            return "Microsoft 365 refuses SMTP AUTH for this mailbox or for the whole tenant (SmtpClientAuthentication is disabled): " +
                   $"turn on Authenticated SMTP for the mailbox '{profile.Username}' (Set-CASMailbox -SmtpClientAuthenticationDisabled $false) " +
                   "or for the tenant. " + (profile.OAuth is null
                       ? "Basic authentication with a password is being retired; OAuth is the way forward. "
                       : "With OAuth the app also needs the Office 365 Exchange Online permission SMTP.SendAsApp (admin consent) " +
                         "and an Exchange service principal with rights on the mailbox. ") +
                   $"See {ProvidersDoc}.";
        }

        var refused = $"The server refused the OAuth access token for '{profile.Username}' (a fresh token was tried once). ";
        return profile.OAuth switch
        {
            null => null,
            { UsesGoogleServiceAccount: true } oauth => refused +
                "Google Workspace: Username must be the Workspace user the token was issued for, with Gmail turned on; the " +
                $"scope must be {OAuthProfile.GoogleMailScope} (Scope is {oauth.Scope}). See {ProvidersDoc}.",
            var oauth => refused +
                "Microsoft 365: the app needs the Office 365 Exchange Online permission SMTP.SendAsApp with admin consent, " +
                "an Exchange service principal (New-ServicePrincipal) with FullAccess or SendAs on this mailbox, and Username " +
                $"must be that mailbox. Check Scope ({oauth.Scope}). See {ProvidersDoc}.",
        };
    }

    /// <summary>
    /// No token came from the identity provider: which settings to check, read from <paramref name="error"/>
    /// where the provider said why. Names only, never a secret.
    /// </summary>
    public static string TokenUnavailable(SmtpProfile profile, Exception? error = null)
    {
        var oauth = profile.OAuth!;
        if (oauth.UsesGoogleServiceAccount)
        {
            return GoogleTokenUnavailable(profile, oauth, error);
        }

        if (oauth.UseManagedIdentity)
        {
            return $"Bridge could not get an OAuth access token for {oauth.Describe()}: check that this app has that managed " +
                   "identity turned on (ManagedIdentityClientId is the client id of a user-assigned one; empty means system-assigned), " +
                   "that it runs where Azure provides it (App Service, Functions, a VM), and that the identity was granted " +
                   $"SMTP.SendAsApp. See {ProvidersDoc}.";
        }

        var credential = oauth.ClientCertificateName is { Length: > 0 } certificate
            ? $"that the certificate '{certificate}' in Key Vault is the one uploaded to the app registration and has not expired"
            : $"that the secret '{oauth.ClientSecretName}' holds the client secret's value (not its id) and has not expired";
        return $"Bridge could not get an OAuth access token for {oauth.Describe()}: check TenantId and ClientId, {credential}, " +
               $"and that an administrator granted consent to SMTP.SendAsApp. See {ProvidersDoc}.";
    }

    public static string NotOffered(SmtpProfile profile) =>
        $"The server at {profile.Host}:{profile.Port} takes no OAuth login on this connection. Microsoft 365 takes XOAUTH2 at " +
        "smtp.office365.com, port 587, StartTls; Google at smtp.gmail.com, port 587 StartTls or 465 SslOnConnect; for a " +
        $"provider without OAuth, use Username and PasswordSecret instead. See {ProvidersDoc}.";

    /// <summary>Google's token endpoint says why in an OAuth error code (RFC 6749 5.2); each has its usual cause.</summary>
    private static string GoogleTokenUnavailable(SmtpProfile profile, OAuthProfile oauth, Exception? error)
    {
        var why = error is InvalidServiceAccountKeyException
            ? $"the secret '{oauth.ServiceAccountKeyName}' must hold the service account's whole JSON key file, as Google Cloud " +
              "console downloads it (IAM & Admin → Service accounts → Keys → Add key → JSON)"
            : GoogleErrorCode(error) switch
            {
                "unauthorized_client" =>
                    "domain-wide delegation is not granted for this service account and scope: in the Google Admin console, Security → " +
                    "Access and data control → API controls → Manage domain-wide delegation, add the service account's client id " +
                    $"(the key file's client_id, a number) with exactly the scope {oauth.Scope} (changes can take a while to apply)",
                "invalid_grant" =>
                    $"Username '{profile.Username}' must be an existing, active user of the Workspace domain (not a group, an alias or " +
                    "a personal gmail.com account), the key must not be deleted or disabled, and this machine's clock must be right",
                _ => $"the secret '{oauth.ServiceAccountKeyName}' must hold the key file of a service account that is enabled, with " +
                     $"domain-wide delegation for the scope {oauth.Scope} granted in the Admin console",
            };
        return $"Bridge could not get an OAuth access token for {oauth.Describe()}: {why}. See {ProvidersDoc}.";
    }

    private static string? GoogleErrorCode(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is TokenResponseException refused)
            {
                return refused.Error?.Error;
            }
        }

        return null;
    }
}
