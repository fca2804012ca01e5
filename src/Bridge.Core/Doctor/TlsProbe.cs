using System.Net.Security;
using System.Security.Authentication;

namespace Bridge.Core.Doctor;

/// <summary>
/// Asks a silent server whether it is waiting for a TLS handshake: the sign of an implicit-TLS port
/// (465) dialled as if it spoke STARTTLS. Nothing is sent over the probe, and no certificate is
/// trusted by it: it only notes whether one came back.
/// </summary>
internal static class TlsProbe
{
    public static async Task<bool> AnswersHandshakeAsync(
        Stream connection, string host, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var sawCertificate = false;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                sawCertificate = certificate is not null;
                return false;
            },
        };
        await using var tls = new SslStream(connection, leaveInnerStreamOpen: true);
        using var deadline = new StepDeadline(timeout, time, cancellationToken);
        try
        {
            await tls.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException || (e is OperationCanceledException && deadline.TimedOut))
        {
            return sawCertificate;
        }
    }
}
