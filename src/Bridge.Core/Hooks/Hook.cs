using Bridge.Core.Auth;
using Bridge.Core.Delivery;

namespace Bridge.Core.Hooks;

/// <summary>
/// One configured hook, ready to serve: its verifier, its delivery id, its parsed templates, and the caller
/// its messages are sent as (key name <c>hook:&lt;name&gt;</c>, one profile, the hook's allowed senders).
/// </summary>
public sealed record Hook(string Name, string SecretName, HookVerifier Verifier, DeliveryIdSource DeliveryId, MessageTemplate Template, ApiCaller Caller)
{
    public const string CallerPrefix = "hook:";

    public string Profile => Caller.Profiles[0];

    /// <summary>Builds the hook configured as <paramref name="entry"/>, or null with every problem named by its key in <paramref name="failures"/>.</summary>
    public static Hook? Compile(string name, HookEntry entry, SmtpOptions smtp, LiquidTemplates liquid, ICollection<string> failures)
    {
        var key = $"{HookOptions.SectionName}:{name}";
        var before = failures.Count;
        if (!IsValidName(name))
        {
            failures.Add($"{key}: a hook name is letters, digits, '-' and '_' (it is part of the URL).");
        }

        var known = HookSchemes.TryParse(entry.Scheme, out var scheme);
        if (!known)
        {
            failures.Add($"{key}:Scheme must be one of {HookSchemes.Known} (it is '{entry.Scheme}').");
        }

        if (!Core.SecretName.IsValid(entry.SecretName))
        {
            failures.Add($"{key}:SecretName must name a secret of letters and digits (the name, not the secret).");
        }

        if (known)
        {
            CheckSchemeSettings(key, scheme, entry, failures);
        }

        var profile = string.IsNullOrWhiteSpace(entry.Profile) ? SmtpOptions.DefaultProfile : entry.Profile.Trim();
        if (!smtp.Profiles.ContainsKey(profile))
        {
            failures.Add($"{key}:Profile names '{profile}', which is not a profile under {SmtpOptions.SectionName}:Profiles.");
        }

        var allowedFrom = ConfigList.Split(entry.AllowedFrom);
        foreach (var rule in allowedFrom.Where(r => !SenderRule.IsWellFormed(r)))
        {
            failures.Add($"{key}:AllowedFrom entry '{rule}' is neither an address nor @domain.");
        }

        if (!string.IsNullOrWhiteSpace(entry.DeliveryIdHeader) && !string.IsNullOrWhiteSpace(entry.DeliveryIdField))
        {
            failures.Add($"{key}: set DeliveryIdHeader or DeliveryIdField, not both (where the delivery id is).");
        }

        if (entry.MessagesPerDay < 0)
        {
            failures.Add($"{key}:MessagesPerDay must be 0 (no limit) or more.");
        }

        var template = MessageTemplate.Compile(key, entry, liquid, failures);
        if (failures.Count > before)
        {
            return null;
        }

        var caller = new ApiCaller(CallerPrefix + name, new HashSet<string> { ApiScope.Send }, [profile], allowedFrom, MessagesPerDay: entry.MessagesPerDay);
        return new Hook(name, entry.SecretName!, HookPreset.Verifier(scheme, entry), HookPreset.DeliveryId(scheme, entry), template!, caller);
    }

    private static bool IsValidName(string name) => name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static void CheckSchemeSettings(string key, HookScheme scheme, HookEntry entry, ICollection<string> failures)
    {
        switch (scheme)
        {
            case HookScheme.Stripe or HookScheme.StandardWebhooks when entry.ToleranceSeconds is < 1 or > 86_400:
                failures.Add($"{key}:ToleranceSeconds must be between 1 and 86400 (the platform's default is 300).");
                break;
            case HookScheme.Hmac:
                if (string.IsNullOrWhiteSpace(entry.Header))
                {
                    failures.Add($"{key}:Header is required for the Hmac scheme (the header that carries the signature).");
                }

                if (!HmacAlgorithms.TryParse(entry.Algorithm, out _))
                {
                    failures.Add($"{key}:Algorithm must be sha1, sha256 or sha512 (it is '{entry.Algorithm}').");
                }

                if (!SignatureEncodings.TryParse(entry.Encoding, out _))
                {
                    failures.Add($"{key}:Encoding must be hex or base64 (it is '{entry.Encoding}').");
                }

                break;
            case HookScheme.Token when string.IsNullOrWhiteSpace(entry.Header) == string.IsNullOrWhiteSpace(entry.QueryParameter):
                failures.Add($"{key}: the Token scheme needs exactly one of Header or QueryParameter (where the token is sent).");
                break;
        }
    }
}
