using System.Net;
using System.Net.Sockets;
using Bridge.Core.Delivery;

namespace Bridge.Core.Doctor.Checks;

/// <summary>The host name resolves to addresses (an IP literal needs nothing).</summary>
internal sealed class DnsCheck : IDiagnosisCheck
{
    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        var profile = session.Profile;
        var started = session.Now;
        if (IPAddress.TryParse(profile.Host, out var literal))
        {
            session.Addresses = [literal];
            return session.Pass(DiagnosisStep.Dns, started, $"{profile.Host} is an IP address: nothing to resolve.");
        }

        using var deadline = session.Deadline();
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(profile.Host, deadline.Token).ConfigureAwait(false);
            if (addresses.Length > 0)
            {
                session.Addresses = addresses;
                return session.Pass(DiagnosisStep.Dns, started,
                    $"{profile.Host} resolves to {string.Join(", ", addresses.Take(4))}{(addresses.Length > 4 ? ", …" : "")}.");
            }

            return session.Fail(DiagnosisStep.Dns, started, $"{profile.Host} has no address records.", DoctorFixes.DnsLookupFailed);
        }
        catch (SocketException e)
        {
            return session.Fail(DiagnosisStep.Dns, started, $"{profile.Host} does not resolve ({e.SocketErrorCode}).",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Connect)?.Hint ?? DoctorFixes.DnsLookupFailed);
        }
        catch (OperationCanceledException) when (deadline.TimedOut)
        {
            return session.Fail(DiagnosisStep.Dns, started, $"No DNS answer for {profile.Host} within {session.Seconds}.", DoctorFixes.DnsLookupFailed);
        }
    }
}
