using System.Net;
using System.Net.Sockets;
using Bridge.Core.Delivery;
using MailKit.Net.Smtp;

namespace Bridge.Core.Doctor.Checks;

/// <summary>
/// What the checks of one diagnosis share: the target, the connection as far as it got, the
/// transcript, the step reports, and the wording every check uses for timeouts and broken sessions.
/// </summary>
internal sealed class DiagnosisSession : IAsyncDisposable
{
    private static readonly TimeSpan MinimumProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly List<StepReport> reports = [];

    public DiagnosisSession(DiagnosisTarget target, SmtpLogin login, TimeProvider time, CancellationToken cancellationToken)
    {
        Target = target;
        Login = login;
        Time = time;
        CancellationToken = cancellationToken;
        Transcript = new DoctorTranscript(time);
        Certificates = new CertificateInspector(Profile, time);
        Client = new DoctorSmtpClient(Transcript)
        {
            Timeout = (int)Timeout.TotalMilliseconds,
            ServerCertificateValidationCallback = Certificates.Validate,
        };
    }

    public DiagnosisTarget Target { get; }

    public SmtpProfile Profile => Target.Profile;

    public SmtpLogin Login { get; }

    public TimeProvider Time { get; }

    public CancellationToken CancellationToken { get; }

    public DoctorTranscript Transcript { get; }

    public CertificateInspector Certificates { get; }

    public DoctorSmtpClient Client { get; }

    /// <summary>The resolved addresses of the host (set by the DNS check).</summary>
    public IReadOnlyList<IPAddress> Addresses { get; set; } = [];

    /// <summary>The open TCP socket (set by the TCP check).</summary>
    public Socket? Socket { get; set; }

    /// <summary>The stream over <see cref="Socket"/> that MailKit reads, remembering the first bytes.</summary>
    public SniffingStream? Connection { get; set; }

    /// <summary>The forms of the password or token seen in the session, scrubbed from the transcript.</summary>
    public List<string> SecretForms { get; } = [];

    public IReadOnlyList<StepReport> Reports => reports;

    public TimeSpan Timeout => TimeSpan.FromSeconds(Profile.TimeoutSeconds);

    /// <summary>
    /// The TLS probe gets at least a few seconds even when the profile's timeout is shorter: a first
    /// handshake costs more than reading a greeting, and a false "silent" would hide the real fix.
    /// </summary>
    public TimeSpan ProbeTimeout => Timeout < MinimumProbeTimeout ? MinimumProbeTimeout : Timeout;

    public string Seconds => $"{Profile.TimeoutSeconds} s";

    public long Now => Time.GetTimestamp();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (Connection is not null)
        {
            await Connection.DisposeAsync().ConfigureAwait(false);
        }

        Socket?.Dispose();
        Transcript.Dispose();
    }

    public StepDeadline Deadline() => new(Timeout, Time, CancellationToken);

    public static bool IsSessionFailure(Exception e, StepDeadline deadline) =>
        e is SmtpCommandException or SmtpProtocolException or IOException or SocketException
        || (e is OperationCanceledException && deadline.TimedOut);

    public string Describe(Exception e) => e switch
    {
        OperationCanceledException => $"No reply within {Seconds}.",
        SmtpCommandException command => $"The server answered {(int)command.StatusCode} {command.Message}",
        _ => ErrorText.FirstLine(e.Message),
    };

    public static string FixFor(Exception e, DiagnosisStep step) =>
        e is OperationCanceledException ? DoctorFixes.StoppedAnswering : DoctorFixes.ConnectionBroke(step);

    public string? Sender() =>
        Target.TestSender is { } given ? given : TestAddress.DefaultSender(Profile);

    public TimeSpan Between(long from, long to) => to > from ? Time.GetElapsedTime(from, to) : TimeSpan.Zero;

    public bool Report(StepReport report)
    {
        reports.Add(report);
        return report.Verdict != StepVerdict.Failed;
    }

    public bool Pass(DiagnosisStep step, long from, string summary, IReadOnlyList<string>? details = null) =>
        Report(new StepReport(step, StepVerdict.Passed, Between(from, Now), summary) { Details = details ?? [] });

    public bool Warn(DiagnosisStep step, long from, string summary, string fix, IReadOnlyList<string>? details = null) =>
        Report(new StepReport(step, StepVerdict.Warning, Between(from, Now), summary) { Fix = fix, Details = details ?? [] });

    public bool Skip(DiagnosisStep step, string reason) =>
        Report(new StepReport(step, StepVerdict.Skipped, TimeSpan.Zero, reason));

    public bool Fail(DiagnosisStep step, long from, string summary, string? fix, IReadOnlyList<string>? details = null, CertificateReport? certificate = null) =>
        Report(new StepReport(step, StepVerdict.Failed, Between(from, Now), summary)
        {
            Fix = fix ?? "See the transcript for what the server said.",
            Details = details ?? [],
            Certificate = certificate,
        });
}
