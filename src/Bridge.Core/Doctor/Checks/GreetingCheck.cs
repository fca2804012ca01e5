using System.Net.Sockets;

namespace Bridge.Core.Doctor.Checks;

/// <summary>
/// Plain-text modes (StartTls, None): the server speaks first. Peek at what it says without taking it
/// off the socket, so MailKit reads the same greeting next; a silent server is probed for implicit TLS.
/// </summary>
internal sealed class GreetingCheck : IDiagnosisCheck
{
    private static readonly TimeSpan PeekInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SilenceBeforeProbeLimit = TimeSpan.FromSeconds(2);

    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        var started = session.Now;
        var buffer = new byte[512];
        int seen;
        Task<bool>? probe = null;
        using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(session.CancellationToken);
        using (var deadline = session.Deadline())
        {
            try
            {
                var peek = PeekFirstLineAsync(session, buffer, deadline.Token);
                using (var silence = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token))
                {
                    var quiet = Task.Delay(SilenceBeforeProbe(session), session.Time, silence.Token);
                    if (await Task.WhenAny(peek, quiet).ConfigureAwait(false) == quiet && !quiet.IsCanceled)
                    {
                        // Silent so far: maybe an implicit-TLS port dialled as if it spoke STARTTLS, which would
                        // otherwise cost the whole timeout. Ask on a second connection, so that a server that is
                        // only slow to greet (some delay on purpose) is not disturbed, and keep listening here.
                        probe = ProbeAsync(session, stopProbe.Token);
                        if (await Task.WhenAny(peek, probe).ConfigureAwait(false) == probe && await probe.ConfigureAwait(false))
                        {
                            return ExpectsImplicitTls(session, started, $"No greeting within {SilenceBeforeProbe(session).TotalSeconds:0} s, and a second connection to the port answered a TLS handshake");
                        }
                    }

                    await silence.CancelAsync().ConfigureAwait(false);
                }

                seen = await peek.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.TimedOut)
            {
                return await DiagnoseSilenceAsync(session, started, probe ?? ProbeAsync(session, stopProbe.Token)).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return session.Fail(DiagnosisStep.Greeting, started, $"The connection broke before the server greeted ({e.SocketErrorCode}).",
                    DoctorFixes.ServerClosedAtOnce);
            }
            finally
            {
                await stopProbe.CancelAsync().ConfigureAwait(false);
            }
        }

        if (seen == 0)
        {
            return session.Fail(DiagnosisStep.Greeting, started, "The server closed the connection without greeting.", DoctorFixes.ServerClosedAtOnce);
        }

        var first = buffer[..seen];
        var line = GreetingSniff.Printable(first);
        var kind = GreetingSniff.Classify(first);
        if (kind != GreetingKind.Ready)
        {
            session.Transcript.Note($"the server sent: {line}");
        }

        return kind switch
        {
            GreetingKind.Ready => session.Pass(DiagnosisStep.Greeting, started, line),
            GreetingKind.Refused => session.Fail(DiagnosisStep.Greeting, started, $"The server turned the connection away: {line}", DoctorFixes.GreetingRefused),
            GreetingKind.Tls => session.Fail(DiagnosisStep.Greeting, started, "The server started TLS instead of greeting in plain text.",
                DoctorFixes.ExpectsImplicitTls(session.Profile)),
            _ => session.Fail(DiagnosisStep.Greeting, started, $"This is not an SMTP greeting: {line}", DoctorFixes.NotSmtp(session.Profile)),
        };
    }

    /// <summary>Servers greet within a second or so; a profile's timeout (30 s by default) is for slow ones.</summary>
    private static TimeSpan SilenceBeforeProbe(DiagnosisSession session) => session.Timeout < SilenceBeforeProbeLimit ? session.Timeout : SilenceBeforeProbeLimit;

    private static async Task<int> PeekFirstLineAsync(DiagnosisSession session, byte[] buffer, CancellationToken token)
    {
        while (true)
        {
            var seen = await session.Socket!.ReceiveAsync(buffer, SocketFlags.Peek, token).ConfigureAwait(false);
            if (seen == 0 || seen == buffer.Length || HasLineOrIsNotSmtp(buffer, seen))
            {
                return seen;
            }

            // Part of a line has arrived: peeking again at once would only return the same bytes.
            await Task.Delay(PeekInterval, session.Time, token).ConfigureAwait(false);
        }
    }

    private static bool HasLineOrIsNotSmtp(byte[] buffer, int seen) =>
        Array.IndexOf(buffer, (byte)'\n', 0, seen) >= 0 || !GreetingSniff.CouldBeReply(buffer.AsSpan(0, seen));

    /// <summary>Whether the port answers a TLS handshake on a connection of its own.</summary>
    private static async Task<bool> ProbeAsync(DiagnosisSession session, CancellationToken cancellationToken)
    {
        session.Transcript.Note("no greeting yet; trying a TLS handshake on a second connection to see whether the port expects implicit TLS");
        try
        {
            using var socket = new Socket(session.Socket!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(session.Socket.RemoteEndPoint!, cancellationToken).ConfigureAwait(false);
            await using var connection = new NetworkStream(socket, ownsSocket: false);
            return await TlsProbe.AnswersHandshakeAsync(connection, session.Profile.Host, session.ProbeTimeout, session.Time, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>No greeting within the timeout: a TLS answer on the probe names the fix, else the server is just silent.</summary>
    private static async Task<bool> DiagnoseSilenceAsync(DiagnosisSession session, long started, Task<bool> probe)
    {
        if (await probe.ConfigureAwait(false))
        {
            return ExpectsImplicitTls(session, started, $"No greeting within {session.Seconds}, but the port answered a TLS handshake");
        }

        session.Transcript.Note("no answer to the TLS handshake either");
        return session.Fail(DiagnosisStep.Greeting, started, $"The server accepted the connection but sent no greeting within {session.Seconds}.",
            DoctorFixes.SilentServer);
    }

    private static bool ExpectsImplicitTls(DiagnosisSession session, long started, string seen)
    {
        session.Transcript.Note("the server answered the TLS handshake");
        return session.Fail(DiagnosisStep.Greeting, started, $"{seen}: it expects implicit TLS, not {session.Profile.Security}.",
            DoctorFixes.ExpectsImplicitTls(session.Profile));
    }
}
