using Bridge.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Auth;

/// <summary>Names the bad key at start: a malformed hash, an unknown scope or profile.</summary>
public sealed class ApiKeyOptionsValidator(IOptions<SmtpOptions> smtp) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        foreach (var (keyName, entry) in options)
        {
            var key = $"{ApiKeyOptions.SectionName}:{keyName}";
            if (entry.Sha256.Length != 64 || !entry.Sha256.All(char.IsAsciiHexDigit))
            {
                failures.Add($"{key}:Sha256 must be the 64-character hex SHA-256 of the key (mint one with 'bridge keys mint').");
            }

            if (entry.RequestsPerSecond < 0 || entry.MessagesPerDay < 0)
            {
                failures.Add($"{key}: RequestsPerSecond and MessagesPerDay must be 0 (no limit) or more.");
            }

            var scopes = ConfigList.Split(entry.Scopes);
            if (scopes.Count == 0)
            {
                failures.Add($"{key}:Scopes is empty; use a comma-separated list of send, read, admin.");
            }

            failures.AddRange(scopes.Where(s => !ApiScope.IsKnown(s))
                .Select(s => $"{key}:Scopes has unknown scope '{s}' (known: send, read, admin)."));
            failures.AddRange(ConfigList.Split(entry.Profiles).Where(p => !smtp.Value.Profiles.ContainsKey(p))
                .Select(p => $"{key}:Profiles names '{p}', which is not a profile under {SmtpOptions.SectionName}:Profiles."));
            failures.AddRange(CallbackFailures(key, entry));
            failures.AddRange(ConfigList.Split(entry.AllowedFrom).Where(r => !SenderRule.IsWellFormed(r))
                .Select(r => $"{key}:AllowedFrom entry '{r}' is neither an address nor @domain."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A callback URL needs a signing secret, and a secret a URL; the URL is absolute http(s) without credentials in it.</summary>
    private static IEnumerable<string> CallbackFailures(string key, ApiKeyEntry entry)
    {
        var hasUrl = !string.IsNullOrWhiteSpace(entry.CallbackUrl);
        if (hasUrl && !(Uri.TryCreate(entry.CallbackUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.UserInfo.Length == 0))
        {
            yield return $"{key}:CallbackUrl must be an absolute http or https URL without user information.";
        }

        if (hasUrl && !SecretName.IsValid(entry.CallbackSecret))
        {
            yield return $"{key}:CallbackSecret must name the secret (letters and digits) that signs this key's callbacks.";
        }

        if (!hasUrl && !string.IsNullOrEmpty(entry.CallbackSecret))
        {
            yield return $"{key}:CallbackSecret is set but {key}:CallbackUrl is not.";
        }
    }
}
