using MailKit.Net.Smtp;

namespace Bridge.Core.Delivery;

/// <summary>Which SASL mechanism Bridge logs in with: the same choice for delivery and for the SMTP doctor.</summary>
public static class AuthMechanisms
{
    public const string XOAuth2 = "XOAUTH2";
    public const string OAuthBearer = "OAUTHBEARER";

    private static readonly string[] PasswordMechanisms = ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"];

    // XOAUTH2 first: it is what Microsoft 365 and Google document for SMTP (Microsoft 365 offers
    // nothing else); OAUTHBEARER (RFC 7628) is its standard twin, for servers that offer only that.
    private static readonly string[] TokenMechanisms = [XOAuth2, OAuthBearer];

    /// <summary>
    /// MailKit falls through to the next mechanism when one is refused, which turns one wrong
    /// password into several failed logins (and lockouts); leave only the strongest one offered.
    /// Returns its name, or null when the server offers none Bridge knows (MailKit then decides).
    /// </summary>
    public static string? KeepOnlyStrongest(SmtpClient client)
    {
        if (PasswordMechanisms.FirstOrDefault(client.AuthenticationMechanisms.Contains) is not { } strongest)
        {
            return null;
        }

        foreach (var other in client.AuthenticationMechanisms.Where(m => m != strongest).ToList())
        {
            client.AuthenticationMechanisms.Remove(other);
        }

        return strongest;
    }

    /// <summary>
    /// The mechanism to present an OAuth access token with, or null when the server offers none.
    /// The token is sent once either way, so there is no fall-through to prevent.
    /// </summary>
    public static string? ForToken(SmtpClient client) => TokenMechanisms.FirstOrDefault(client.AuthenticationMechanisms.Contains);
}
