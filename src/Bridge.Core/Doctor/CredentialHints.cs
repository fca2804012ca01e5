using Bridge.Core.Delivery;

namespace Bridge.Core.Doctor;

/// <summary>
/// What the doctor can tell about refused credentials by looking at them (never by showing them):
/// the usual slips, and the rules of providers people most often get wrong.
/// </summary>
public static class CredentialHints
{
    public static IReadOnlyList<string> Observe(string host, string username, string password)
    {
        var hints = new List<string>();
        if (ProfileLint.HasSurroundingWhitespace(username))
        {
            hints.Add("The username has spaces or a line break at its start or end.");
        }

        if (ProfileLint.HasSurroundingWhitespace(password))
        {
            hints.Add("The password has spaces or a line break at its start or end (a copy-paste slip when it was stored).");
        }

        if (IsHost(host, "sendgrid.net") && username != "apikey")
        {
            hints.Add("SendGrid wants the username 'apikey' (literally) and an API key as the password.");
        }

        if (IsHost(host, "gmail.com") || IsHost(host, "googlemail.com"))
        {
            hints.Add("Google accounts with 2-Step Verification need an app password, not the account password.");
        }

        if (IsHost(host, "office365.com") || IsHost(host, "outlook.com"))
        {
            hints.Add("Microsoft 365 needs SMTP AUTH turned on for this mailbox, and an account with MFA needs an app password.");
        }

        return hints;
    }

    private static bool IsHost(string host, string domain) =>
        host.Equals(domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
}
