using Bridge.Core.Delivery;
using Bridge.Core.Messages;

namespace Bridge.Core.Doctor;

/// <summary>
/// A profile given on the spot (API body or CLI flags) rather than configured: checked here once for
/// both, with the usual port for a security mode and the usual mode for a port filled in.
/// </summary>
public static class InlineProfile
{
    /// <summary>Seconds per step: shorter than a configured profile's default, as someone is waiting for the answer.</summary>
    public const int DefaultTimeoutSeconds = 10;

    public static SmtpProfile? Create(
        string? host, int? port, string? security, string? username, string? trustedCertificateThumbprint,
        bool allowInsecureAuth, int? timeoutSeconds, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add("host", "is required: the SMTP server's host name or IP address");
        }

        if (port is < 1 or > 65535)
        {
            errors.Add("port", "must be between 1 and 65535");
        }

        SmtpSecurity? mode = null;
        if (!string.IsNullOrWhiteSpace(security))
        {
            if (Enum.TryParse<SmtpSecurity>(security.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                mode = parsed;
            }
            else
            {
                errors.Add("security", "must be StartTls, SslOnConnect or None");
            }
        }

        if (timeoutSeconds is < 1 or > 120)
        {
            errors.Add("timeoutSeconds", "must be between 1 and 120");
        }

        if (!errors.IsEmpty)
        {
            return null;
        }

        var resolved = mode ?? (port == 465 ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls);
        return new SmtpProfile
        {
            Host = host!.Trim(),
            Port = port ?? DefaultPort(resolved),
            Security = resolved,

            // Kept as given: a stray space is one of the things the doctor reports.
            Username = string.IsNullOrEmpty(username) ? null : username,
            TrustedCertificateThumbprint = string.IsNullOrWhiteSpace(trustedCertificateThumbprint) ? null : trustedCertificateThumbprint.Trim(),
            AllowInsecureAuth = allowInsecureAuth,
            TimeoutSeconds = timeoutSeconds ?? DefaultTimeoutSeconds,
        };
    }

    public static int DefaultPort(SmtpSecurity security) => security switch
    {
        SmtpSecurity.SslOnConnect => 465,
        SmtpSecurity.None => 25,
        _ => 587,
    };
}
