using MailKit.Net.Smtp;

namespace Bridge.Core.Delivery;

/// <summary>Which SASL mechanism Bridge logs in with: the same choice for delivery and for the SMTP doctor.</summary>
public static class AuthMechanisms
{
    private static readonly string[] PasswordMechanisms = ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"];

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
}
