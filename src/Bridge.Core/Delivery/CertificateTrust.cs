using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bridge.Core.Delivery;

/// <summary>
/// Certificate validation stays on. The one exception is explicit: a profile may pin the thumbprint
/// of a self-signed test server's certificate.
/// </summary>
public static class CertificateTrust
{
    public static RemoteCertificateValidationCallback For(SmtpProfile profile) => For(profile.TrustedCertificateThumbprint);

    /// <summary>The same rule for a connection that is not an SMTP profile's (a bounce mailbox).</summary>
    public static RemoteCertificateValidationCallback For(string? thumbprint) =>
        (_, certificate, _, errors) => errors == SslPolicyErrors.None
            || (certificate is not null && IsPinned(thumbprint, certificate));

    public static bool IsPinned(string? thumbprint, X509Certificate certificate)
    {
        if (string.IsNullOrWhiteSpace(thumbprint))
        {
            return false;
        }

        var pinned = thumbprint.Replace(":", "", StringComparison.Ordinal).Trim();
        var candidate = pinned.Length == 40
            ? certificate.GetCertHashString(HashAlgorithmName.SHA1)
            : certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return string.Equals(pinned, candidate, StringComparison.OrdinalIgnoreCase);
    }
}
