using Bridge.Core.Delivery;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Delivery;

/// <summary>Something plainly wrong with a profile, found without connecting: which profile, which rule, what to do.</summary>
public sealed record ProfileWarning(string Profile, string Rule, string Advice);

/// <summary>
/// The mistakes a profile can be checked for on paper: the startup self-check logs them, and the
/// doctor uses the same words when a connection confirms them.
/// </summary>
public static partial class ProfileLint
{
    public const string Port25Advice =
        "Port 25 is for server-to-server relay: most cloud hosts block it and providers expect logins on the " +
        "submission ports, 587 with StartTls or 465 with SslOnConnect.";

    public static IEnumerable<ProfileWarning> Check(string name, SmtpProfile profile)
    {
        if (profile.Port == 25)
        {
            yield return new ProfileWarning(name, "port-25", Port25Advice);
        }

        if (SmtpFailureClassifier.PortSecurityMismatchHint(profile) is { } mismatch)
        {
            yield return new ProfileWarning(name, "port-security-mismatch", mismatch);
        }

        if (HasSurroundingWhitespace(profile.Username))
        {
            yield return new ProfileWarning(name, "username-whitespace",
                "The username has spaces or a line break at its start or end; servers compare it exactly. Remove them.");
        }
    }

    /// <summary>Checks a secret's value; the warning names the secret, never the value.</summary>
    public static ProfileWarning? CheckSecret(string name, string secretName, string value) =>
        HasSurroundingWhitespace(value)
            ? new ProfileWarning(name, "secret-whitespace",
                $"The secret '{secretName}' has spaces or a line break at its start or end (a copy-paste slip); " +
                "servers compare passwords exactly, so the login will likely fail. Store it again without them.")
            : null;

    public static bool HasSurroundingWhitespace(string? value) =>
        value is { Length: > 0 } && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]));

    /// <summary>Logs a warning as a structured line: the profile, the rule and the advice (never a secret).</summary>
    public static void Log(ILogger logger, ProfileWarning warning) => LogWarning(logger, warning.Profile, warning.Rule, warning.Advice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP profile {Profile} looks wrong ({Rule}): {Advice}")]
    private static partial void LogWarning(ILogger logger, string profile, string rule, string advice);
}
