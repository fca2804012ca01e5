using Bridge.Core.Events;

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

        return profile.OAuth is null
            ? null
            : $"The server refused the OAuth access token for '{profile.Username}' (a fresh token was tried once). " +
              "Microsoft 365: the app needs the Office 365 Exchange Online permission SMTP.SendAsApp with admin consent, " +
              "an Exchange service principal (New-ServicePrincipal) with FullAccess or SendAs on this mailbox, and Username " +
              $"must be that mailbox. Check Scope ({profile.OAuth.Scope}). See {ProvidersDoc}.";
    }

    /// <summary>Azure.Identity could not get a token: which settings to check. Names only, never a secret.</summary>
    public static string TokenUnavailable(SmtpProfile profile)
    {
        var oauth = profile.OAuth!;
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
        "smtp.office365.com, port 587, StartTls; for a provider without OAuth, use Username and PasswordSecret instead. " +
        $"See {ProvidersDoc}.";
}
