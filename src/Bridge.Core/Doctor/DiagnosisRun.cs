using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;
using Bridge.Core.Secrets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using AuthenticationException = MailKit.Security.AuthenticationException;

namespace Bridge.Core.Doctor;

/// <summary>
/// One diagnosis, step by step, on one connection. The raw early steps (DNS, TCP, the greeting) use
/// plain sockets, so what the server really sends can be named; the greeting is only peeked at, and
/// MailKit then reads it again on the same socket and runs EHLO, TLS, AUTH and the envelope exactly as
/// delivery would. Each step stops at the profile's timeout; the first failure ends the run and the
/// remaining steps are reported as skipped.
/// </summary>
internal sealed class DiagnosisRun : IAsyncDisposable
{
    private const int MaxAddressesTried = 3;
    private static readonly TimeSpan PeekInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MinimumProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly DiagnosisTarget target;
    private readonly SmtpProfile profile;
    private readonly SecretCache secrets;
    private readonly OAuthTokenSource tokens;
    private readonly TimeProvider time;
    private readonly CancellationToken cancellationToken;
    private readonly DoctorTranscript transcript;
    private readonly CertificateInspector certificates;
    private readonly DoctorSmtpClient client;
    private readonly List<StepReport> reports = [];
    private readonly List<string> secretForms = [];
    private Socket? socket;
    private SniffingStream? connection;

    public DiagnosisRun(DiagnosisTarget target, SecretCache secrets, OAuthTokenSource tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        this.target = target;
        profile = target.Profile;
        this.secrets = secrets;
        this.tokens = tokens;
        this.time = time;
        this.cancellationToken = cancellationToken;
        transcript = new DoctorTranscript(time);
        certificates = new CertificateInspector(profile, time);
        client = new DoctorSmtpClient(transcript)
        {
            Timeout = (int)Timeout.TotalMilliseconds,
            ServerCertificateValidationCallback = certificates.Validate,
        };
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(profile.TimeoutSeconds);

    /// <summary>
    /// The TLS probe gets at least a few seconds even when the profile's timeout is shorter: a first
    /// handshake costs more than reading a greeting, and a false "silent" would hide the real fix.
    /// </summary>
    private TimeSpan ProbeTimeout => Timeout < MinimumProbeTimeout ? MinimumProbeTimeout : Timeout;

    private string Seconds => $"{profile.TimeoutSeconds} s";

    private long Now => time.GetTimestamp();

    public async Task<Diagnosis> RunAsync()
    {
        var started = Now;
        _ = await ResolveAsync().ConfigureAwait(false) is { } addresses
            && await ConnectAsync(addresses).ConfigureAwait(false)
            && (profile.Security == SmtpSecurity.SslOnConnect
                ? await OpenImplicitTlsSessionAsync().ConfigureAwait(false)
                : await ReadGreetingAsync().ConfigureAwait(false) && await OpenSessionAsync().ConfigureAwait(false))
            && await AuthenticateAsync().ConfigureAwait(false)
            && await CheckEnvelopeAsync().ConfigureAwait(false)
            && await SendTestMessageAsync().ConfigureAwait(false);
        await QuitAsync().ConfigureAwait(false);
        return new Diagnosis(target.ProfileName, profile.Host, profile.Port, profile.Security, profile.Username,
            InOrderWithSkipped(), transcript.Lines(secretForms), time.GetElapsedTime(started));
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        socket?.Dispose();
        transcript.Dispose();
    }

    private async Task<IPAddress[]?> ResolveAsync()
    {
        var started = Now;
        if (IPAddress.TryParse(profile.Host, out var literal))
        {
            Pass(DiagnosisStep.Dns, started, $"{profile.Host} is an IP address: nothing to resolve.");
            return [literal];
        }

        using var deadline = Deadline();
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(profile.Host, deadline.Token).ConfigureAwait(false);
            if (addresses.Length > 0)
            {
                Pass(DiagnosisStep.Dns, started, $"{profile.Host} resolves to {string.Join(", ", addresses.Take(4))}{(addresses.Length > 4 ? ", …" : "")}.");
                return addresses;
            }

            Fail(DiagnosisStep.Dns, started, $"{profile.Host} has no address records.", DoctorFixes.DnsLookupFailed);
        }
        catch (SocketException e)
        {
            Fail(DiagnosisStep.Dns, started, $"{profile.Host} does not resolve ({e.SocketErrorCode}).",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Connect)?.Hint ?? DoctorFixes.DnsLookupFailed);
        }
        catch (OperationCanceledException) when (deadline.TimedOut)
        {
            Fail(DiagnosisStep.Dns, started, $"No DNS answer for {profile.Host} within {Seconds}.", DoctorFixes.DnsLookupFailed);
        }

        return null;
    }

    private async Task<bool> ConnectAsync(IPAddress[] addresses)
    {
        var started = Now;
        var refused = new List<string>();
        var timedOut = new List<string>();
        var unreachable = new List<string>();
        foreach (var address in addresses.Take(MaxAddressesTried))
        {
            var endpoint = new IPEndPoint(address, profile.Port);
            var candidate = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var deadline = Deadline();
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
                timedOut.Add($"{endpoint}: no answer within {Seconds}");
                continue;
            }
            catch
            {
                candidate.Dispose();
                throw;
            }

            socket = candidate;
            connection = new SniffingStream(new NetworkStream(candidate, ownsSocket: false));
            var earlier = refused.Concat(timedOut).Concat(unreachable).ToList();
            return profile.Port == 25
                ? Warn(DiagnosisStep.Tcp, started, $"Connected to {endpoint}.", ProfileLint.Port25Advice, earlier)
                : Pass(DiagnosisStep.Tcp, started, $"Connected to {endpoint}.", earlier);
        }

        var tried = refused.Concat(timedOut).Concat(unreachable).ToList();
        return timedOut.Count > 0
            ? Fail(DiagnosisStep.Tcp, started, $"Connecting to port {profile.Port} timed out: no answer within {Seconds}.", DoctorFixes.ConnectTimedOut, tried)
            : unreachable.Count == 0
                ? Fail(DiagnosisStep.Tcp, started, $"Connection refused on port {profile.Port}: nothing listens there.", DoctorFixes.ConnectionRefused(profile), tried)
                : Fail(DiagnosisStep.Tcp, started, $"Could not connect to port {profile.Port} ({unreachable[0]}).", DoctorFixes.Unreachable(profile), tried);
    }

    /// <summary>Plain-text modes: the server speaks first. Peek at what it says without taking it off the socket.</summary>
    private async Task<bool> ReadGreetingAsync()
    {
        var started = Now;
        var buffer = new byte[512];
        int seen;
        using (var deadline = Deadline())
        {
            try
            {
                seen = await PeekFirstLineAsync(buffer, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.TimedOut)
            {
                return await DiagnoseSilenceAsync(started).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return Fail(DiagnosisStep.Greeting, started, $"The connection broke before the server greeted ({e.SocketErrorCode}).",
                    DoctorFixes.ServerClosedAtOnce);
            }
        }

        if (seen == 0)
        {
            return Fail(DiagnosisStep.Greeting, started, "The server closed the connection without greeting.", DoctorFixes.ServerClosedAtOnce);
        }

        var first = buffer[..seen];
        var line = GreetingSniff.Printable(first);
        var kind = GreetingSniff.Classify(first);
        if (kind != GreetingKind.Ready)
        {
            transcript.Note($"the server sent: {line}");
        }

        return kind switch
        {
            GreetingKind.Ready => Pass(DiagnosisStep.Greeting, started, line),
            GreetingKind.Refused => Fail(DiagnosisStep.Greeting, started, $"The server turned the connection away: {line}", DoctorFixes.GreetingRefused),
            GreetingKind.Tls => Fail(DiagnosisStep.Greeting, started, "The server started TLS instead of greeting in plain text.",
                DoctorFixes.ExpectsImplicitTls(profile)),
            _ => Fail(DiagnosisStep.Greeting, started, $"This is not an SMTP greeting: {line}", DoctorFixes.NotSmtp(profile)),
        };
    }

    private async Task<int> PeekFirstLineAsync(byte[] buffer, CancellationToken token)
    {
        while (true)
        {
            var seen = await socket!.ReceiveAsync(buffer, SocketFlags.Peek, token).ConfigureAwait(false);
            if (seen == 0 || seen == buffer.Length || HasLineOrIsNotSmtp(buffer, seen))
            {
                return seen;
            }

            // Part of a line has arrived: peeking again at once would only return the same bytes.
            await Task.Delay(PeekInterval, time, token).ConfigureAwait(false);
        }
    }

    private static bool HasLineOrIsNotSmtp(byte[] buffer, int seen) =>
        Array.IndexOf(buffer, (byte)'\n', 0, seen) >= 0 || !GreetingSniff.CouldBeReply(buffer.AsSpan(0, seen));

    /// <summary>A silent server may be waiting for a TLS handshake: the classic StartTls profile on port 465.</summary>
    private async Task<bool> DiagnoseSilenceAsync(long started)
    {
        transcript.Note($"no greeting within {Seconds}; trying a TLS handshake to see whether the port expects implicit TLS");
        if (await TlsProbe.AnswersHandshakeAsync(connection!, profile.Host, ProbeTimeout, time, cancellationToken).ConfigureAwait(false))
        {
            transcript.Note("the server answered the TLS handshake");
            return Fail(DiagnosisStep.Greeting, started,
                $"No greeting within {Seconds}, but the port answered a TLS handshake: it expects implicit TLS, not {profile.Security}.",
                DoctorFixes.ExpectsImplicitTls(profile));
        }

        transcript.Note("no answer to the TLS handshake either");
        return Fail(DiagnosisStep.Greeting, started, $"The server accepted the connection but sent no greeting within {Seconds}.",
            DoctorFixes.SilentServer);
    }

    /// <summary>StartTls and None: MailKit reads the greeting (still on the socket), sends EHLO and, for StartTls, upgrades.</summary>
    private async Task<bool> OpenSessionAsync()
    {
        var started = Now;
        var options = profile.Security == SmtpSecurity.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None;
        using var deadline = Deadline();
        try
        {
            await client.ConnectAsync(connection!, profile.Host, profile.Port, options, deadline.Token).ConfigureAwait(false);
        }
        catch (NotSupportedException e) when (options == SecureSocketOptions.StartTls)
        {
            // MailKit's word for "EHLO did not list STARTTLS"; the capabilities are still known.
            ReportCapabilities(started, null);
            return Fail(DiagnosisStep.Tls, Now, "The server does not offer STARTTLS, and the profile requires it.",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Connect)?.Hint);
        }
        catch (SslHandshakeException e)
        {
            ReportCapabilities(started, transcript.StartTlsSentAt);
            return FailHandshake(transcript.StartTlsSentAt ?? started, e, sawPlainGreeting: false);
        }
        catch (Exception e) when (IsSessionFailure(e, deadline))
        {
            if (transcript.StartTlsSentAt is not { } startTls)
            {
                return Fail(DiagnosisStep.Ehlo, started, Describe(e), e is SmtpCommandException ? DoctorFixes.EhloRefused : FixFor(e, DiagnosisStep.Ehlo));
            }

            ReportCapabilities(started, startTls);
            return Fail(DiagnosisStep.Tls, startTls, Describe(e), e is SmtpCommandException ? DoctorFixes.StartTlsRefused : FixFor(e, DiagnosisStep.Tls));
        }

        ReportCapabilities(started, transcript.StartTlsSentAt);
        return profile.Security == SmtpSecurity.StartTls
            ? ReportTls(transcript.StartTlsSentAt ?? Now, Now)
            : ReportUnencrypted();
    }

    /// <summary>SslOnConnect: the handshake comes first, then the greeting and EHLO inside TLS, all in one MailKit call.</summary>
    private async Task<bool> OpenImplicitTlsSessionAsync()
    {
        var started = Now;
        using var deadline = Deadline();
        try
        {
            await client.ConnectAsync(connection!, profile.Host, profile.Port, SecureSocketOptions.SslOnConnect, deadline.Token).ConfigureAwait(false);
        }
        catch (SslHandshakeException e)
        {
            var plain = GreetingSniff.Classify(connection!.FirstBytesRead) is GreetingKind.Ready or GreetingKind.Refused;
            return FailHandshake(started, e, plain);
        }
        catch (Exception e) when (IsSessionFailure(e, deadline))
        {
            if (certificates.SeenAt is not { } handshaken)
            {
                return e is OperationCanceledException
                    ? Fail(DiagnosisStep.Tls, started, $"No answer to the TLS handshake within {Seconds}.", DoctorFixes.NoTlsAnswer)
                    : Fail(DiagnosisStep.Tls, started, $"The TLS handshake failed: {Describe(e)}", FixFor(e, DiagnosisStep.Tls));
            }

            ReportTls(started, handshaken);
            if (transcript.FirstServerReplyAt is not { } greeted)
            {
                return Fail(DiagnosisStep.Greeting, handshaken,
                    e is OperationCanceledException ? $"TLS is up, but the server sent no greeting within {Seconds}." : $"No greeting after TLS: {Describe(e)}",
                    e is OperationCanceledException ? DoctorFixes.SilentServer : FixFor(e, DiagnosisStep.Greeting));
            }

            return ReportGreetingAfterTls(handshaken, greeted)
                && Fail(DiagnosisStep.Ehlo, greeted, Describe(e), e is SmtpCommandException ? DoctorFixes.EhloRefused : FixFor(e, DiagnosisStep.Ehlo));
        }

        var tlsDone = certificates.SeenAt ?? started;
        var greetedAt = transcript.FirstServerReplyAt ?? tlsDone;
        ReportTls(started, tlsDone);
        ReportGreetingAfterTls(tlsDone, greetedAt);
        ReportCapabilities(greetedAt, null);
        return true;
    }

    private bool ReportGreetingAfterTls(long from, long to)
    {
        var first = transcript.FirstServerBytes ?? [];
        var line = GreetingSniff.Printable(first);
        return GreetingSniff.Classify(first) switch
        {
            GreetingKind.Ready => Report(new StepReport(DiagnosisStep.Greeting, StepVerdict.Passed, Between(from, to), line)),
            GreetingKind.Refused => Fail(DiagnosisStep.Greeting, from, $"The server turned the connection away: {line}", DoctorFixes.GreetingRefused),
            _ => Fail(DiagnosisStep.Greeting, from, $"What came after TLS is not an SMTP greeting: {line}", DoctorFixes.NotSmtp(profile)),
        };
    }

    private bool FailHandshake(long from, SslHandshakeException e, bool sawPlainGreeting)
    {
        if (sawPlainGreeting)
        {
            var line = GreetingSniff.Printable(connection!.FirstBytesRead);
            transcript.Note($"the server sent in plain text: {line}");
            return Fail(DiagnosisStep.Tls, from,
                $"The server greeted in plain text ({line}) instead of starting TLS: this port speaks STARTTLS or plain SMTP.",
                DoctorFixes.ExpectsStartTls(profile));
        }

        if (certificates.Seen is { Status: CertificateStatus.Untrusted } certificate)
        {
            return Fail(DiagnosisStep.Tls, from, $"The server's certificate is not trusted: {string.Join("; ", certificate.Problems)}.",
                DoctorFixes.Certificate(certificate, profile), certificate: certificate);
        }

        return Fail(DiagnosisStep.Tls, from, $"The TLS handshake failed: {ErrorText.FirstLine(e.InnerException?.Message ?? e.Message)}",
            SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Connect)?.Hint, certificate: certificates.Seen);
    }

    private void ReportCapabilities(long from, long? to)
    {
        var capabilities = SmtpCapabilityNames.Of(client);
        Report(new StepReport(DiagnosisStep.Ehlo, StepVerdict.Passed, Between(from, to ?? Now),
            capabilities.Count == 0 ? "The server answered HELO only: no extensions." : "Capabilities: " + string.Join(", ", capabilities)));
    }

    private bool ReportTls(long from, long to)
    {
        var protocol = SmtpCapabilityNames.Protocol(client.SslProtocol) + (client.SslCipherSuite is { } suite ? $" ({suite})" : "");
        var certificate = certificates.Seen;
        var warnings = new List<string>();
        if ((int)client.SslProtocol is > 0 and < (int)SslProtocols.Tls12)
        {
            warnings.Add($"The server negotiated {protocol}, which is outdated: ask the provider for TLS 1.2 or later.");
        }

        var summary = protocol;
        if (certificate is not null)
        {
            summary += certificate.Status == CertificateStatus.Pinned
                ? "; the certificate is not trusted by this machine but pinned by TrustedCertificateThumbprint."
                : "; the certificate is trusted by this machine.";
            var left = certificate.NotAfter - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                warnings.Add($"The certificate expired on {certificate.NotAfter:yyyy-MM-dd} and is accepted only because it is pinned: renew it.");
            }
            else if (left < TimeSpan.FromDays(14))
            {
                warnings.Add($"The certificate expires in {(int)left.TotalDays} days ({certificate.NotAfter:yyyy-MM-dd}): make sure it is renewed.");
            }
        }

        return Report(new StepReport(DiagnosisStep.Tls, warnings.Count > 0 ? StepVerdict.Warning : StepVerdict.Passed, Between(from, to), summary)
        {
            Fix = warnings.Count > 0 ? string.Join(" ", warnings) : null,
            Certificate = certificate,
        });
    }

    private bool ReportUnencrypted() => Report(new StepReport(DiagnosisStep.Tls, StepVerdict.Warning, TimeSpan.Zero,
        "Security is None: nothing on this connection is encrypted.")
    {
        Fix = client.Capabilities.HasFlag(SmtpCapabilities.StartTLS)
            ? "The server offers STARTTLS: set Security to StartTls so the login and the mail are encrypted."
            : "Use Security None only for a local test server.",
    });

    private async Task<bool> AuthenticateAsync()
    {
        if (string.IsNullOrEmpty(profile.Username))
        {
            return Skip(DiagnosisStep.Auth, "No Username in the profile: mail is sent without logging in.");
        }

        var started = Now;
        var offered = client.AuthenticationMechanisms.ToList();
        var details = new List<string> { "Offered: " + (offered.Count == 0 ? "none" : string.Join(", ", offered)) };
        if (!client.IsSecure && !profile.AllowInsecureAuth)
        {
            return Fail(DiagnosisStep.Auth, started, "Not attempted: the connection is not encrypted, so the password would travel in plain text.",
                SmtpFailureClassifier.Classify(new InsecureAuthRefusedException(target.Describe()), profile, SmtpPhase.Authenticate)?.Hint, details);
        }

        if (offered.Count == 0)
        {
            return Fail(DiagnosisStep.Auth, started, "The server offers no AUTH mechanism on this connection.",
                DoctorFixes.NoAuthMechanism(client.IsSecure), details);
        }

        if (profile.OAuth is { } oauth && target.Password is null)
        {
            return await AuthenticateWithTokenAsync(oauth, started, details).ConfigureAwait(false);
        }

        if (target.Password is null && string.IsNullOrEmpty(profile.PasswordSecret))
        {
            return Fail(DiagnosisStep.Auth, started, "The profile has a Username but no PasswordSecret.",
                "Set PasswordSecret to the name of the secret that holds the password.", details);
        }

        string password;
        try
        {
            password = await ReadPasswordAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Any store failure (missing secret, no access, no sign-in, no network) is a finding to report, not a crash.
            return Fail(DiagnosisStep.Auth, started, $"Could not read the password: {ErrorText.FirstLine(e.Message)}",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate)?.Hint ?? DoctorFixes.UnreadableSecret(profile.PasswordSecret), details);
        }

        secretForms.AddRange(DoctorTranscript.FormsOf(profile.Username, password));
        var mechanism = AuthMechanisms.KeepOnlyStrongest(client);
        using var deadline = Deadline();
        try
        {
            await client.AuthenticateAsync(profile.Username, password, deadline.Token).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            var failure = SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate);
            var reply = failure?.Reply is { } r ? $"{r.Code} {r.Reply}" : ErrorText.FirstLine(e.Message);
            var fix = CredentialHints.Observe(profile.Host, profile.Username, password).Append(failure?.Hint).OfType<string>();
            details.Add("Tried: " + (mechanism ?? "the server's choice"));
            return Fail(DiagnosisStep.Auth, started, $"The server refused the login for '{profile.Username}': {reply}", string.Join(" ", fix), details);
        }
        catch (NotSupportedException e)
        {
            return Fail(DiagnosisStep.Auth, started, "None of the offered mechanisms is one Bridge can use.",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate)?.Hint, details);
        }
        catch (Exception e) when (IsSessionFailure(e, deadline))
        {
            return Fail(DiagnosisStep.Auth, started, Describe(e), FixFor(e, DiagnosisStep.Auth), details);
        }

        return Pass(DiagnosisStep.Auth, started, $"Logged in as {profile.Username} with {mechanism ?? "the server's mechanism"}.", details);
    }

    /// <summary>
    /// An OAuth profile: a new token (not the cached one, as a password is read past the cache), then
    /// the login with the mechanism delivery would use. The token is scrubbed from the transcript.
    /// </summary>
    private async Task<bool> AuthenticateWithTokenAsync(OAuthProfile oauth, long started, List<string> details)
    {
        string token;
        try
        {
            token = await tokens.RefreshAsync(target.ProfileName ?? target.Describe(), profile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Any identity failure (wrong tenant or secret, no consent, no managed identity here) is a finding, not a crash.
            return Fail(DiagnosisStep.Auth, started, $"Could not get an OAuth access token for {oauth.Describe()}: {ErrorText.FirstLine(e.Message)}",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate)?.Hint ?? OAuthFailureHints.TokenUnavailable(profile), details);
        }

        secretForms.AddRange(OAuthLogin.FormsOf(profile.Username!, token));
        var mechanism = AuthMechanisms.ForToken(client);
        details.Add("Tried: " + (mechanism ?? "none (no OAuth mechanism offered)"));
        using var deadline = Deadline();
        try
        {
            await OAuthLogin.AuthenticateAsync(client, profile.Username!, token, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or OAuthNotOfferedException)
        {
            var failure = SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate);
            var reply = failure?.Reply is { } r ? $"{r.Code} {r.Reply}" : ErrorText.FirstLine(e.Message);
            return Fail(DiagnosisStep.Auth, started, e is OAuthNotOfferedException
                ? ErrorText.FirstLine(e.Message)
                : $"The server refused the OAuth access token for '{profile.Username}': {reply}", failure?.Hint, details);
        }
        catch (Exception e) when (IsSessionFailure(e, deadline))
        {
            return Fail(DiagnosisStep.Auth, started, Describe(e), FixFor(e, DiagnosisStep.Auth), details);
        }

        return Pass(DiagnosisStep.Auth, started, $"Logged in as {profile.Username} with {mechanism} (an OAuth access token for {oauth.Describe()}).", details);
    }

    private async Task<string> ReadPasswordAsync()
    {
        if (target.Password is { } given)
        {
            return given;
        }

        // Ask the store, not the cache: the secret may have been rotated or fixed a moment ago.
        secrets.Invalidate(profile.PasswordSecret!);
        return await secrets.GetSecretAsync(profile.PasswordSecret!, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> CheckEnvelopeAsync()
    {
        if (target.TestRecipient is not { } recipient)
        {
            return Skip(DiagnosisStep.Envelope, "No test recipient given: MAIL FROM and RCPT TO were not tried.");
        }

        var started = Now;
        if (Sender() is not { } sender)
        {
            return Fail(DiagnosisStep.Envelope, started, "No sender address to test with.", DoctorFixes.NoSender);
        }

        using var deadline = Deadline();
        try
        {
            var mail = await client.MailFromAsync(sender, deadline.Token).ConfigureAwait(false);
            var rcpt = await client.RcptToAsync(recipient, deadline.Token).ConfigureAwait(false);
            await client.ResetAsync(deadline.Token).ConfigureAwait(false);
            return Pass(DiagnosisStep.Envelope, started, $"{sender} → {recipient} would be accepted (nothing was sent).",
                [$"MAIL FROM: {(int)mail.StatusCode} {mail.Response}", $"RCPT TO: {(int)rcpt.StatusCode} {rcpt.Response}"]);
        }
        catch (SmtpCommandException e)
        {
            var who = e.ErrorCode == SmtpErrorCode.SenderNotAccepted ? $"The sender {sender}" : $"The recipient {recipient}";
            var hint = SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Send)?.Hint;
            return Fail(DiagnosisStep.Envelope, started, $"{who} was refused: {(int)e.StatusCode} {e.Message}",
                DoctorFixes.EnvelopeRefused(e, sender, recipient, hint));
        }
        catch (Exception e) when (IsSessionFailure(e, deadline))
        {
            return Fail(DiagnosisStep.Envelope, started, Describe(e), FixFor(e, DiagnosisStep.Envelope));
        }
    }

    private async Task<bool> SendTestMessageAsync()
    {
        if (!target.Send || target.TestRecipient is not { } recipient || Sender() is not { } sender)
        {
            return Skip(DiagnosisStep.Send, "Not asked for: no test message was sent.");
        }

        var started = Now;
        var message = DoctorTestMessage.Create(sender, recipient, target.Describe(), time.GetUtcNow());
        using var deadline = Deadline();
        try
        {
            var reply = await client.SendAsync(message, deadline.Token).ConfigureAwait(false);
            // MailKit returns only after a 2xx to DATA, and hands back the text without the code.
            return Pass(DiagnosisStep.Send, started, $"The test message to {recipient} was accepted: 250 {reply}", [$"Message-Id: <{message.MessageId}>"]);
        }
        catch (SmtpCommandException e)
        {
            var failure = SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Send);
            return Fail(DiagnosisStep.Send, started, $"The server refused the test message: {(int)e.StatusCode} {e.Message}",
                failure?.Hint ?? (failure?.Kind == FailureKind.Transient
                    ? DoctorFixes.TemporaryRefusal
                    : "The server refused the message itself: read its reply; the content, size or sender may be refused."));
        }
        catch (Exception e) when (IsSessionFailure(e, deadline))
        {
            return Fail(DiagnosisStep.Send, started, Describe(e), FixFor(e, DiagnosisStep.Send));
        }
    }

    private string? Sender() =>
        target.TestSender is { } given ? given : TestAddress.DefaultSender(profile);

    private async Task QuitAsync()
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var quit = new StepDeadline(TimeSpan.FromSeconds(Math.Min(profile.TimeoutSeconds, 5)), time, cancellationToken);
            await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or SmtpProtocolException
                                      or SmtpCommandException or ServiceNotConnectedException)
        {
            // Saying goodbye is best effort: the diagnosis is already complete.
        }
    }

    private StepDeadline Deadline() => new(Timeout, time, cancellationToken);

    private static bool IsSessionFailure(Exception e, StepDeadline deadline) =>
        e is SmtpCommandException or SmtpProtocolException or IOException or SocketException
        || (e is OperationCanceledException && deadline.TimedOut);

    private string Describe(Exception e) => e switch
    {
        OperationCanceledException => $"No reply within {Seconds}.",
        SmtpCommandException command => $"The server answered {(int)command.StatusCode} {command.Message}",
        _ => ErrorText.FirstLine(e.Message),
    };

    private static string FixFor(Exception e, DiagnosisStep step) =>
        e is OperationCanceledException ? DoctorFixes.StoppedAnswering : DoctorFixes.ConnectionBroke(step);

    private TimeSpan Between(long from, long to) => to > from ? time.GetElapsedTime(from, to) : TimeSpan.Zero;

    private bool Report(StepReport report)
    {
        reports.Add(report);
        return report.Verdict != StepVerdict.Failed;
    }

    private bool Pass(DiagnosisStep step, long from, string summary, IReadOnlyList<string>? details = null) =>
        Report(new StepReport(step, StepVerdict.Passed, Between(from, Now), summary) { Details = details ?? [] });

    private bool Warn(DiagnosisStep step, long from, string summary, string fix, IReadOnlyList<string>? details = null) =>
        Report(new StepReport(step, StepVerdict.Warning, Between(from, Now), summary) { Fix = fix, Details = details ?? [] });

    private bool Skip(DiagnosisStep step, string reason) =>
        Report(new StepReport(step, StepVerdict.Skipped, TimeSpan.Zero, reason));

    private bool Fail(DiagnosisStep step, long from, string summary, string? fix, IReadOnlyList<string>? details = null, CertificateReport? certificate = null) =>
        Report(new StepReport(step, StepVerdict.Failed, Between(from, Now), summary)
        {
            Fix = fix ?? "See the transcript for what the server said.",
            Details = details ?? [],
            Certificate = certificate,
        });

    /// <summary>Every step, in the order this security mode meets them; those never reached say why.</summary>
    private List<StepReport> InOrderWithSkipped()
    {
        var failed = reports.FirstOrDefault(r => r.Verdict == StepVerdict.Failed);
        DiagnosisStep[] order = profile.Security == SmtpSecurity.SslOnConnect
            ? [DiagnosisStep.Dns, DiagnosisStep.Tcp, DiagnosisStep.Tls, DiagnosisStep.Greeting, DiagnosisStep.Ehlo, DiagnosisStep.Auth, DiagnosisStep.Envelope, DiagnosisStep.Send]
            : [DiagnosisStep.Dns, DiagnosisStep.Tcp, DiagnosisStep.Greeting, DiagnosisStep.Ehlo, DiagnosisStep.Tls, DiagnosisStep.Auth, DiagnosisStep.Envelope, DiagnosisStep.Send];
        return order
            .Select(step => reports.FirstOrDefault(r => r.Step == step)
                            ?? new StepReport(step, StepVerdict.Skipped, TimeSpan.Zero,
                                failed is null ? "Not run." : $"Not run: the {failed.Step.Title()} step failed."))
            .ToList();
    }
}
