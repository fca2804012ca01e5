using Bridge.Core.Delivery.OAuth;
using Bridge.Core.Secrets;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bridge.Core.Delivery;

/// <summary>
/// The SMTP login, one for delivery and for the SMTP doctor: which TLS mode a profile's security
/// means, whether the connection is safe for a password, where the password or access token comes
/// from, and which mechanism presents it. A new mechanism or TLS rule is added here, once.
/// </summary>
public sealed class SmtpLogin(SecretCache secrets, OAuthTokenSource tokens)
{
    public static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    /// <summary>A password travels only over TLS, unless the profile allows it in plain text (a local test server).</summary>
    public static bool MaySendCredential(SmtpClient client, SmtpProfile profile) => client.IsSecure || profile.AllowInsecureAuth;

    /// <summary>
    /// The profile's password, or an OAuth profile's access token; <paramref name="fresh"/> reads past
    /// every cache (the secret may have been rotated a moment ago).
    /// </summary>
    public async Task<SmtpCredential> ReadCredentialAsync(string name, SmtpProfile profile, bool fresh, CancellationToken cancellationToken)
    {
        if (profile.OAuth is not null)
        {
            var token = fresh
                ? await tokens.RefreshAsync(name, profile, cancellationToken).ConfigureAwait(false)
                : await tokens.GetTokenAsync(name, profile, cancellationToken).ConfigureAwait(false);
            return new SmtpCredential(profile.Username!, token, IsAccessToken: true);
        }

        if (fresh)
        {
            secrets.Invalidate(profile.PasswordSecret!);
        }

        var password = await secrets.GetSecretAsync(profile.PasswordSecret!, cancellationToken).ConfigureAwait(false);
        return new SmtpCredential(profile.Username!, password, IsAccessToken: false);
    }

    /// <summary>
    /// The mechanism the login will use, or null when the server offers none Bridge knows. For a
    /// password it also leaves only that mechanism on the client (see <see cref="AuthMechanisms.KeepOnlyStrongest"/>).
    /// </summary>
    public static string? ChooseMechanism(SmtpClient client, SmtpCredential credential) =>
        credential.IsAccessToken ? AuthMechanisms.ForToken(client) : AuthMechanisms.KeepOnlyStrongest(client);

    /// <summary>Logs in; a refusal throws MailKit's <see cref="AuthenticationException"/> (or <see cref="OAuthNotOfferedException"/>).</summary>
    public static async Task AuthenticateAsync(SmtpClient client, SmtpCredential credential, CancellationToken cancellationToken)
    {
        if (credential.IsAccessToken)
        {
            await OAuthLogin.AuthenticateAsync(client, credential.Username, credential.Secret, cancellationToken).ConfigureAwait(false);
            return;
        }

        ChooseMechanism(client, credential);
        await client.AuthenticateAsync(credential.Username, credential.Secret, cancellationToken).ConfigureAwait(false);
    }
}
