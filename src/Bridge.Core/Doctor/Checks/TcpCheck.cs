using System.Net;
using System.Net.Sockets;
using Bridge.Core.Delivery;

namespace Bridge.Core.Doctor.Checks;

/// <summary>A TCP connection opens to the port, trying the first few resolved addresses in turn.</summary>
internal sealed class TcpCheck : IDiagnosisCheck
{
    private const int MaxAddressesTried = 3;

    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        var profile = session.Profile;
        var started = session.Now;
        var refused = new List<string>();
        var timedOut = new List<string>();
        var unreachable = new List<string>();
        foreach (var address in session.Addresses.Take(MaxAddressesTried))
        {
            var endpoint = new IPEndPoint(address, profile.Port);
            var candidate = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var deadline = session.Deadline();
            try
            {
                await candidate.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                candidate.Dispose();
                (e.SocketErrorCode == SocketError.ConnectionRefused ? refused : unreachable).Add($"{endpoint}: {e.SocketErrorCode}");
                continue;
            }
            catch (OperationCanceledException) when (deadline.TimedOut)
            {
                candidate.Dispose();
                timedOut.Add($"{endpoint}: no answer within {session.Seconds}");
                continue;
            }
            catch
            {
                candidate.Dispose();
                throw;
            }

            session.Socket = candidate;
            session.Connection = new SniffingStream(new NetworkStream(candidate, ownsSocket: false));
            var earlier = refused.Concat(timedOut).Concat(unreachable).ToList();
            return profile.Port == 25
                ? session.Warn(DiagnosisStep.Tcp, started, $"Connected to {endpoint}.", ProfileLint.Port25Advice, earlier)
                : session.Pass(DiagnosisStep.Tcp, started, $"Connected to {endpoint}.", earlier);
        }

        var tried = refused.Concat(timedOut).Concat(unreachable).ToList();
        return timedOut.Count > 0
            ? session.Fail(DiagnosisStep.Tcp, started, $"Connecting to port {profile.Port} timed out: no answer within {session.Seconds}.",
                DoctorFixes.ConnectTimedOut, tried)
            : unreachable.Count == 0
                ? session.Fail(DiagnosisStep.Tcp, started, $"Connection refused on port {profile.Port}: nothing listens there.",
                    DoctorFixes.ConnectionRefused(profile), tried)
                : session.Fail(DiagnosisStep.Tcp, started, $"Could not connect to port {profile.Port} ({unreachable[0]}).",
                    DoctorFixes.Unreachable(profile), tried);
    }
}
