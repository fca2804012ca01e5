using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bridge.Core.Delivery;

namespace Bridge.Core.Doctor;

/// <summary>Whether Bridge accepts a server certificate, and on what grounds.</summary>
public enum CertificateStatus
{
    /// <summary>Valid for the host and chained to a root this machine trusts.</summary>
    Trusted,

    /// <summary>Not trusted by this machine, but its thumbprint is pinned by the profile's TrustedCertificateThumbprint.</summary>
    Pinned,

    Untrusted,
}

/// <summary>The server certificate as the doctor reports it: who it is for, who issued it, until when, and why it is or is not trusted.</summary>
public sealed record CertificateReport(
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256,
    IReadOnlyList<string> Names,
    CertificateStatus Status,
    IReadOnlyList<string> Problems)
{
    public bool IsSelfSigned => Subject == Issuer;

    /// <summary>Reads the certificate during validation (the chain is gone afterwards); trust is decided as <see cref="CertificateTrust"/> decides it.</summary>
    public static CertificateReport Inspect(X509Certificate certificate, X509Chain? chain, SslPolicyErrors errors, SmtpProfile profile)
    {
        using var loaded = certificate is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var x509 = loaded ?? (X509Certificate2)certificate;
        var status = errors == SslPolicyErrors.None ? CertificateStatus.Trusted
            : CertificateTrust.IsPinned(profile.TrustedCertificateThumbprint, certificate) ? CertificateStatus.Pinned
            : CertificateStatus.Untrusted;
        return new CertificateReport(
            x509.Subject,
            x509.Issuer,
            new DateTimeOffset(x509.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(x509.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            x509.GetCertHashString(HashAlgorithmName.SHA256),
            NamesOf(x509),
            status,
            Describe(errors, chain, x509, profile.Host));
    }

    public string Describe() =>
        $"{Subject}, issued by {(IsSelfSigned ? "itself (self-signed)" : Issuer)}, valid until {NotAfter:yyyy-MM-dd}";

    private static List<string> NamesOf(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames());
            names.AddRange(extension.EnumerateIPAddresses().Select(a => a.ToString()));
        }

        return names;
    }

    private static List<string> Describe(SslPolicyErrors errors, X509Chain? chain, X509Certificate2 certificate, string host)
    {
        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add($"it is not issued for '{host}'");
        }

        if (!errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            return problems;
        }

        var flags = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            problems.Add(certificate.Subject == certificate.Issuer
                ? "it is self-signed"
                : "it is issued by an authority this machine does not trust");
        }

        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            problems.Add("it has expired or is not valid yet");
        }

        if (flags.HasFlag(X509ChainStatusFlags.Revoked))
        {
            problems.Add("it has been revoked");
        }

        if (problems.Count == 0)
        {
            problems.Add("its chain does not validate (" + string.Join(", ", chain?.ChainStatus.Select(s => s.Status.ToString()) ?? []) + ")");
        }

        return problems;
    }
}
