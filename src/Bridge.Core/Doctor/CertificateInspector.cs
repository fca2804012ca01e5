using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Bridge.Core.Delivery;

namespace Bridge.Core.Doctor;

/// <summary>
/// The validation callback the doctor gives MailKit: the same decision delivery makes
/// (<see cref="CertificateTrust"/>), plus a record of what the server presented and when.
/// </summary>
internal sealed class CertificateInspector(SmtpProfile profile, TimeProvider time)
{
    private readonly RemoteCertificateValidationCallback trust = CertificateTrust.For(profile);

    public CertificateReport? Seen { get; private set; }

    /// <summary>When the certificate arrived: the handshake is nearly done by then.</summary>
    public long? SeenAt { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not null)
        {
            Seen = CertificateReport.Inspect(certificate, chain, errors, profile);
            SeenAt = time.GetTimestamp();
        }

        return trust(sender, certificate, chain, errors);
    }
}
