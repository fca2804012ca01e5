using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bridge.Core.Delivery.OAuth;

/// <summary>Logs in with an access token, the same way for delivery and for the SMTP doctor.</summary>
public static class OAuthLogin
{
    /// <summary>Authenticates with the mechanism <see cref="AuthMechanisms.ForToken"/> picks, and returns its name.</summary>
    public static async Task<string> AuthenticateAsync(SmtpClient client, string username, string accessToken, CancellationToken cancellationToken)
    {
        var mechanism = AuthMechanisms.ForToken(client) ?? throw new OAuthNotOfferedException(client.AuthenticationMechanisms);
        SaslMechanism sasl = mechanism == AuthMechanisms.XOAuth2
            ? new SaslMechanismOAuth2(username, accessToken)
            : new SaslMechanismOAuthBearer(username, accessToken);
        await client.AuthenticateAsync(sasl, cancellationToken).ConfigureAwait(false);
        return mechanism;
    }

    /// <summary>The ways a token travels in AUTH, for scrubbing a transcript: as is, and inside the base64 XOAUTH2 response.</summary>
    public static IEnumerable<string> FormsOf(string username, string accessToken)
    {
        yield return accessToken;
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={username}\u0001auth=Bearer {accessToken}\u0001\u0001"));
    }
}
