using Bridge.Core.Delivery.OAuth;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Delivery;

/// <summary>Fails the process at start with the name of the bad key, not on the first send.</summary>
public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var failures = new List<string>();
        if (options.Profiles.Count == 0)
        {
            failures.Add($"{SmtpOptions.SectionName}:Profiles has no profile; set at least " +
                         $"{SmtpOptions.SectionName}:Profiles:{SmtpOptions.DefaultProfile}:Host.");
        }

        foreach (var (profileName, profile) in options.Profiles)
        {
            var key = $"{SmtpOptions.SectionName}:Profiles:{profileName}";
            if (string.IsNullOrWhiteSpace(profile.Host))
            {
                failures.Add($"{key}:Host is required.");
            }

            if (profile.Port is < 1 or > 65535)
            {
                failures.Add($"{key}:Port must be between 1 and 65535 (it is {profile.Port}).");
            }

            if (profile.TimeoutSeconds is < 1 or > 600)
            {
                failures.Add($"{key}:TimeoutSeconds must be between 1 and 600 (it is {profile.TimeoutSeconds}).");
            }

            var hasUser = !string.IsNullOrWhiteSpace(profile.Username);
            if (hasUser && profile.OAuth is null && string.IsNullOrWhiteSpace(profile.PasswordSecret))
            {
                failures.Add($"{key}:PasswordSecret is required when Username is set (the name of the secret, not the password).");
            }

            if (profile.PasswordSecret is { Length: > 0 } secret && !SecretName.IsValid(secret))
            {
                failures.Add($"{key}:PasswordSecret must be a secret name of letters and digits only.");
            }

            if (hasUser && profile.OAuth is null && profile.Security == SmtpSecurity.None && !profile.AllowInsecureAuth)
            {
                failures.Add($"{key}: Security is None, so AUTH would send the password in plain text; " +
                             $"use StartTls or SslOnConnect, or set {key}:AllowInsecureAuth=true for local work only.");
            }

            failures.AddRange(OAuthProfileValidator.Validate(key, profile));

            if (profile.MaxPerMinute < 0)
            {
                failures.Add($"{key}:MaxPerMinute must be 0 (no quota) or more (it is {profile.MaxPerMinute}).");
            }

            if (profile.MaxPerDay < 0)
            {
                failures.Add($"{key}:MaxPerDay must be 0 (no quota) or more (it is {profile.MaxPerDay}).");
            }

            foreach (var fallback in profile.FallbackList)
            {
                if (string.Equals(fallback, profileName, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{key}:Fallback names the profile itself; list other profiles to try when this one fails.");
                }
                else if (!options.Profiles.ContainsKey(fallback))
                {
                    failures.Add($"{key}:Fallback names '{fallback}', which is not a configured profile ({SmtpOptions.SectionName}:Profiles:{fallback}).");
                }
            }

            if (profile.BounceMailbox is { } mailbox)
            {
                failures.AddRange(BounceMailboxFailures($"{key}:BounceMailbox", mailbox));
            }

            foreach (var entry in profile.AllowedFromList)
            {
                if (!SenderRule.IsWellFormed(entry))
                {
                    failures.Add($"{key}:AllowedFrom entry '{entry}' is neither an address nor @domain.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The same rules as the profile's own server: a host, a port, a named secret, and no password in plain text unless allowed.</summary>
    private static IEnumerable<string> BounceMailboxFailures(string key, BounceMailbox mailbox)
    {
        if (string.IsNullOrWhiteSpace(mailbox.Host))
        {
            yield return $"{key}:Host is required.";
        }

        if (mailbox.Port is < 1 or > 65535)
        {
            yield return $"{key}:Port must be between 1 and 65535 (it is {mailbox.Port}).";
        }

        if (mailbox.TimeoutSeconds is < 1 or > 600)
        {
            yield return $"{key}:TimeoutSeconds must be between 1 and 600 (it is {mailbox.TimeoutSeconds}).";
        }

        if (string.IsNullOrWhiteSpace(mailbox.Username) || string.IsNullOrWhiteSpace(mailbox.PasswordSecret))
        {
            yield return $"{key}:Username and {key}:PasswordSecret are required (the name of the secret, not the password).";
        }
        else if (!SecretName.IsValid(mailbox.PasswordSecret))
        {
            yield return $"{key}:PasswordSecret must be a secret name of letters and digits only.";
        }

        if (mailbox.Security == SmtpSecurity.None && !mailbox.AllowInsecureAuth)
        {
            yield return $"{key}: Security is None, so LOGIN would send the password in plain text; " +
                         $"use StartTls or SslOnConnect, or set {key}:AllowInsecureAuth=true for local work only.";
        }

        if (string.IsNullOrWhiteSpace(mailbox.Folder))
        {
            yield return $"{key}:Folder must name a folder (INBOX by default).";
        }
    }
}
