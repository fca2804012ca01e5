using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Bridge.Testing;

/// <summary>How the test server secures its port.</summary>
public enum TestSmtpSecurity
{
    Plain,
    StartTls,
    ImplicitTls,
}

/// <summary>
/// A real SMTP server in-process (the SmtpServer package): STARTTLS or implicit TLS with a
/// self-signed certificate, AUTH PLAIN/LOGIN against one user, and replies scriptable per stage.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer server;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<ReceivedMail> received = new();
    private readonly Task running;
    private readonly bool ownsCertificate;
    private int authFailures;
    private int sessions;

    private TestSmtpServer(TestSmtpSecurity security, string? username, string? password, int? port, X509Certificate2? certificate)
    {
        Security = security;
        Password = password;
        Port = port ?? FreePort.Next();
        ownsCertificate = certificate is null;
        Certificate = certificate ?? TestCertificates.CreateLocalhost();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Port(Port).AllowUnsecureAuthentication(security == TestSmtpSecurity.Plain);
                if (security != TestSmtpSecurity.Plain)
                {
                    endpoint.Certificate(Certificate).IsSecure(security == TestSmtpSecurity.ImplicitTls);
                }

                if (username is not null)
                {
                    endpoint.AuthenticationRequired();
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        if (username is not null)
        {
            services.Add(new DelegatingUserAuthenticator((user, pass) =>
            {
                var ok = user == username && pass == Password;
                if (!ok)
                {
                    Interlocked.Increment(ref authFailures);
                }

                return ok;
            }));
        }

        server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, created) =>
        {
            // Count sessions that spoke SMTP: a bare TCP probe (like the readiness check) is not one.
            var counted = 0;
            created.Context.CommandExecuting += (_, _) =>
            {
                if (Interlocked.Exchange(ref counted, 1) == 0)
                {
                    Interlocked.Increment(ref sessions);
                }
            };
        };
        running = server.StartAsync(stop.Token);
    }

    public TestSmtpSecurity Security { get; }
    public int Port { get; }
    public X509Certificate2 Certificate { get; }
    public string Thumbprint => TestCertificates.Sha256Thumbprint(Certificate);
    public IReadOnlyCollection<ReceivedMail> Received => received;
    public int AuthFailures => Volatile.Read(ref authFailures);
    public int Sessions => Volatile.Read(ref sessions);

    /// <summary>The password AUTH takes; change it to rotate the credential under a running server.</summary>
    public string? Password { get; set; }

    /// <summary>Answers MAIL FROM: return a reply to refuse, or null to accept.</summary>
    public Func<string, SmtpResponse?>? OnMailFrom { get; set; }

    /// <summary>Answers RCPT TO: return a reply to refuse, or null to accept.</summary>
    public Func<string, SmtpResponse?>? OnRcptTo { get; set; }

    /// <summary>Answers the end of DATA: return a reply to refuse, or null to accept and keep the mail.</summary>
    public Func<ReceivedMail, SmtpResponse?>? OnData { get; set; }

    /// <summary>How long the server takes to answer the end of DATA (a slow upstream).</summary>
    public TimeSpan DataDelay { get; set; }

    /// <summary>Drops the connection instead of answering the end of DATA when this returns true.</summary>
    public Func<ReceivedMail, bool>? DropOnData { get; set; }

    /// <summary>Starts a server; pass <paramref name="port"/> and <paramref name="certificate"/> to bring one back where it was.</summary>
    public static async Task<TestSmtpServer> StartAsync(
        TestSmtpSecurity security, string? username = null, string? password = null, int? port = null, X509Certificate2? certificate = null)
    {
        var smtp = new TestSmtpServer(security, username, password, port, certificate);
        await FreePort.WaitUntilListeningAsync(smtp.Port, TimeSpan.FromSeconds(10));
        return smtp;
    }

    public static SmtpResponse Reply(int code, string text) => new((SmtpReplyCode)code, text);

    public async Task<ReceivedMail> WaitForMailAsync(Func<ReceivedMail, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (received.FirstOrDefault(match) is { } mail)
            {
                return mail;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching mail arrived within {timeout} ({received.Count} received).");
    }

    public async ValueTask DisposeAsync()
    {
        server.Shutdown();
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // Stopping is best effort.
        }

        stop.Dispose();
        if (ownsCertificate)
        {
            Certificate.Dispose();
        }
    }

    private sealed class Store(TestSmtpServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (owner.DataDelay > TimeSpan.Zero)
            {
                await Task.Delay(owner.DataDelay, cancellationToken);
            }

            var mail = new ReceivedMail(transaction.From.AsAddress(), transaction.To.Select(t => t.AsAddress()).ToList(), buffer.ToArray());
            if (owner.DropOnData?.Invoke(mail) == true)
            {
                // No answer at all: close the connection under the client, as a crashed or cut-off server would.
                (context.Pipe as IDisposable)?.Dispose();
                throw new IOException("Connection dropped by the test server.");
            }

            if (owner.OnData?.Invoke(mail) is { } refusal)
            {
                return refusal;
            }

            owner.received.Enqueue(mail);
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(TestSmtpServer owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            owner.OnMailFrom?.Invoke(from.AsAddress()) is { } refusal ? throw new SmtpResponseException(refusal) : Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            owner.OnRcptTo?.Invoke(to.AsAddress()) is { } refusal ? throw new SmtpResponseException(refusal) : Task.FromResult(true);
    }
}

/// <summary>A mail as the server received it: envelope and raw bytes.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> To, byte[] Raw)
{
    public MimeMessage Parse()
    {
        using var stream = new MemoryStream(Raw);
        return MimeMessage.Load(stream);
    }
}
