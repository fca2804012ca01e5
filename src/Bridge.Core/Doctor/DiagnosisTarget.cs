using Bridge.Core.Delivery;

namespace Bridge.Core.Doctor;

/// <summary>
/// What to diagnose: a configured profile (its password is read from the secret store) or an inline
/// one with its password given, plus the optional test recipient and test send. A class, not a
/// record, so the password can never leak through a generated ToString.
/// </summary>
public sealed class DiagnosisTarget(string? profileName, SmtpProfile profile)
{
    /// <summary>The configured profile's name; null for an inline profile.</summary>
    public string? ProfileName { get; } = profileName;

    public SmtpProfile Profile { get; } = profile;

    /// <summary>The password of an inline profile. A named profile's comes from its PasswordSecret.</summary>
    public string? Password { get; init; }

    /// <summary>The sender for MAIL FROM and the test message; defaults to the profile's own address.</summary>
    public string? TestSender { get; init; }

    /// <summary>Where MAIL FROM/RCPT TO is tried (and the test message goes); no envelope test without it.</summary>
    public string? TestRecipient { get; init; }

    /// <summary>Send a real test message to <see cref="TestRecipient"/>.</summary>
    public bool Send { get; init; }

    /// <summary>The SMTP steps, the DNS (deliverability) checks of the sender's domain, or both.</summary>
    public DoctorChecks Checks { get; init; } = DoctorChecks.Smtp;

    /// <summary>
    /// The domain the DNS checks look at: the test sender's, else the profile's default sender's, else its
    /// first allowed <c>@domain</c>.
    /// </summary>
    public string? SenderDomain => (TestSender ?? TestAddress.DefaultSender(Profile) ?? Profile.AllowedFromList.FirstOrDefault(e => e.StartsWith('@'))) is { } address
        ? address[(address.LastIndexOf('@') + 1)..].TrimEnd('.').ToLowerInvariant()
        : null;

    public string Describe() => ProfileName is null ? "inline profile" : $"profile '{ProfileName}'";
}
