using System.Text.Json.Serialization;
using Bridge.Core.Delivery;
using Bridge.Core.Http;
using Bridge.Core.Messages;

namespace Bridge.Core.Doctor;

/// <summary>
/// The body of <c>POST /api/v1/smtp/diagnose</c>: a configured profile (<c>{"profile": "default"}</c>,
/// the default when empty) or an inline one (<c>host</c>, <c>port</c>, <c>security</c>, <c>username</c>,
/// <c>password</c>, ...), plus an optional test recipient and test send. A class rather than a record,
/// so the password never shows up in a generated ToString.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class DiagnoseRequest
{
    public string? Profile { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? Security { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? TrustedCertificateThumbprint { get; init; }
    public bool? AllowInsecureAuth { get; init; }
    public int? TimeoutSeconds { get; init; }
    public string? TestRecipient { get; init; }
    public string? From { get; init; }
    public bool Send { get; init; }

    /// <summary><c>["smtp"]</c> (the default), <c>["dns"]</c> (the sender domain's SPF, DKIM, DMARC, MX and blocklists) or both.</summary>
    public IReadOnlyList<string>? Checks { get; init; }

    private bool HasInlineFields => Port is not null || Security is not null || Username is not null || Password is not null
                                    || TrustedCertificateThumbprint is not null || AllowInsecureAuth is not null || TimeoutSeconds is not null;

    /// <summary>What to diagnose, or null with every problem named in <paramref name="errors"/>.</summary>
    public DiagnosisTarget? ToTarget(SmtpOptions smtp, ValidationErrors errors)
    {
        var profile = Host is null ? Configured(smtp, errors) : Inline(errors);
        var recipient = Address(TestRecipient, "testRecipient", errors);
        var sender = Address(From, "from", errors);
        if (Send && TestRecipient is null)
        {
            errors.Add("testRecipient", "is required when send is true");
        }

        var checks = DoctorCheckNames.Parse(Checks, errors);

        var target = profile is null || !errors.IsEmpty
            ? null
            : new DiagnosisTarget(Host is null ? ProfileName : null, profile)
            {
                Password = Password,
                TestRecipient = recipient,
                TestSender = sender,
                Send = Send,
                Checks = checks,
            };
        if (target is { SenderDomain: null } && checks.HasFlag(DoctorChecks.Dns))
        {
            errors.Add("from", "is required for the dns checks: the address whose domain is checked (the profile has no address to default to)");
            return null;
        }

        return target;
    }

    private string ProfileName => string.IsNullOrWhiteSpace(Profile) ? SmtpOptions.DefaultProfile : Profile.Trim();

    private SmtpProfile? Configured(SmtpOptions smtp, ValidationErrors errors)
    {
        if (HasInlineFields)
        {
            errors.Add("host", "is required for an inline profile (port, security, username, password and the rest describe one)");
            return null;
        }

        if (smtp.Profiles.TryGetValue(ProfileName, out var profile))
        {
            return profile;
        }

        errors.Add("profile", $"'{ProfileName}' is not a configured SMTP profile");
        return null;
    }

    private SmtpProfile? Inline(ValidationErrors errors)
    {
        if (Profile is not null)
        {
            errors.Add("profile", "give either a configured profile or an inline host, not both");
        }

        if (!string.IsNullOrEmpty(Username) && Password is null)
        {
            errors.Add("password", "is required with username");
        }

        if (string.IsNullOrEmpty(Username) && Password is not null)
        {
            errors.Add("username", "is required with password");
        }

        return InlineProfile.Create(Host, Port, Security, Username, TrustedCertificateThumbprint, AllowInsecureAuth ?? false, TimeoutSeconds, errors);
    }

    private static string? Address(string? text, string field, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (TestAddress.TryParse(text, out var address))
        {
            return address;
        }

        errors.Add(field, "must be an email address");
        return null;
    }
}
