using System.Text;
using MailKit;

namespace Bridge.Core.Doctor;

/// <summary>
/// The SMTP dialogue of one diagnosis, written by MailKit's own <see cref="ProtocolLogger"/>: MailKit
/// hands it an <see cref="IAuthenticationSecretDetector"/>, so what AUTH sends is logged as ********.
/// On top of that it notes when STARTTLS was sent and when the server first spoke (to time the steps
/// MailKit runs in one call), and scrubs the known secrets once more before anything is shown.
/// </summary>
internal sealed class DoctorTranscript(TimeProvider time) : IProtocolLogger
{
    private const string Redacted = "********";

    private readonly MemoryStream log = new();
    private ProtocolLogger? logger;

    private ProtocolLogger Logger => logger ??= new ProtocolLogger(log, leaveOpen: true) { RedactSecrets = true };

    public IAuthenticationSecretDetector? AuthenticationSecretDetector
    {
        get => Logger.AuthenticationSecretDetector;
        set => Logger.AuthenticationSecretDetector = value!;
    }

    /// <summary>When the client sent STARTTLS (a <see cref="TimeProvider"/> timestamp), if it did.</summary>
    public long? StartTlsSentAt { get; private set; }

    /// <summary>When the server first sent anything MailKit read.</summary>
    public long? FirstServerReplyAt { get; private set; }

    /// <summary>The first bytes MailKit read from the server (after the handshake, for implicit TLS).</summary>
    public byte[]? FirstServerBytes { get; private set; }

    public void LogConnect(Uri uri) => Logger.LogConnect(uri);

    public void LogClient(byte[] buffer, int offset, int count)
    {
        if (StartTlsSentAt is null && buffer.AsSpan(offset, count).StartsWith("STARTTLS"u8))
        {
            StartTlsSentAt = time.GetTimestamp();
        }

        Logger.LogClient(buffer, offset, count);
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        if (FirstServerBytes is null && count > 0)
        {
            FirstServerReplyAt = time.GetTimestamp();
            FirstServerBytes = buffer.AsSpan(offset, Math.Min(count, 256)).ToArray();
        }

        Logger.LogServer(buffer, offset, count);
    }

    /// <summary>A line of the doctor's own (what it saw before MailKit took over), marked with '#'.</summary>
    public void Note(string text)
    {
        var bytes = Encoding.UTF8.GetBytes("# " + text + "\r\n");
        log.Write(bytes);
    }

    /// <summary>The dialogue, line by line, with every form of the given secrets replaced (defence in depth).</summary>
    public IReadOnlyList<string> Lines(IEnumerable<string> secrets)
    {
        var text = Encoding.UTF8.GetString(log.GetBuffer(), 0, (int)log.Length);
        foreach (var secret in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        return text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0).ToList();
    }

    /// <summary>The ways a password travels in AUTH: as is, base64 (LOGIN) and inside the base64 PLAIN response.</summary>
    public static IEnumerable<string> FormsOf(string? username, string password)
    {
        yield return password;
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(password));
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{username}\0{password}"));
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}\0{username}\0{password}"));
    }

    public void Dispose()
    {
        logger?.Dispose();
        log.Dispose();
    }
}
