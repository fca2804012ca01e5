using System.Net.Sockets;

namespace Bridge.Core.Doctor.Checks;

/// <summary>
/// Plain-text modes (StartTls, None): the server speaks first. Peek at what it says without taking it
/// off the socket, so MailKit reads the same greeting next; a silent server is probed for implicit TLS.
/// </summary>
internal sealed class GreetingCheck : IDiagnosisCheck
{
    private static readonly TimeSpan PeekInterval = TimeSpan.FromMilliseconds(20);

    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        var started = session.Now;
        var buffer = new byte[512];
        int seen;
        using (var deadline = session.Deadline())
        {
            try
            {
                seen = await PeekFirstLineAsync(session, buffer, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.TimedOut)
            {
                return await DiagnoseSilenceAsync(session, started).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return session.Fail(DiagnosisStep.Greeting, started, $"The connection broke before the server greeted ({e.SocketErrorCode}).",
                    DoctorFixes.ServerClosedAtOnce);
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

    /// <summary>A silent server may be waiting for a TLS handshake: the classic StartTls profile on port 465.</summary>
    private static async Task<bool> DiagnoseSilenceAsync(DiagnosisSession session, long started)
    {
        var profile = session.Profile;
        session.Transcript.Note($"no greeting within {session.Seconds}; trying a TLS handshake to see whether the port expects implicit TLS");
        if (await TlsProbe.AnswersHandshakeAsync(session.Connection!, profile.Host, session.ProbeTimeout, session.Time, session.CancellationToken)
                .ConfigureAwait(false))
        {
            session.Transcript.Note("the server answered the TLS handshake");
            return session.Fail(DiagnosisStep.Greeting, started,
                $"No greeting within {session.Seconds}, but the port answered a TLS handshake: it expects implicit TLS, not {profile.Security}.",
                DoctorFixes.ExpectsImplicitTls(profile));
        }

        session.Transcript.Note("no answer to the TLS handshake either");
        return session.Fail(DiagnosisStep.Greeting, started, $"The server accepted the connection but sent no greeting within {session.Seconds}.",
            DoctorFixes.SilentServer);
    }
}
