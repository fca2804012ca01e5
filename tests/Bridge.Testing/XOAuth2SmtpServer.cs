using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Bridge.Testing;

/// <summary>
/// A real SMTP server that speaks AUTH XOAUTH2 on loopback: Nodemailer's smtp-server run by node
/// with tests/peers/xoauth2-smtp.mjs, behind STARTTLS or implicit TLS with a self-signed certificate
/// (trust it by <see cref="Thumbprint"/>). It accepts only the token set with
/// <see cref="AcceptToken"/>, read again at every login, so a test can retire a token mid-run.
/// Needs node on PATH and the smtp-server package (scripts/install-tools.sh smtp-server), found in
/// BRIDGE_SMTP_SERVER_MODULES or .tools/smtp-server/node_modules.
/// </summary>
public sealed class XOAuth2SmtpServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string folder;

    private XOAuth2SmtpServer(Process process, string folder, int port, bool implicitTls, string thumbprint)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
        ImplicitTls = implicitTls;
        Thumbprint = thumbprint;
    }

    public int Port { get; }

    public bool ImplicitTls { get; }

    /// <summary>SHA-256 thumbprint of the server's certificate, for TrustedCertificateThumbprint.</summary>
    public string Thumbprint { get; }

    private string TokenFile => Path.Combine(folder, "token");

    private string EventsFile => Path.Combine(folder, "events.jsonl");

    /// <summary>Logins the server accepted.</summary>
    public int AuthSuccesses => Events("auth").Count(e => e.GetString() == "ok");

    /// <summary>Logins the server refused (a wrong token, or SMTP AUTH "disabled").</summary>
    public int AuthFailures => Events("auth").Count(e => e.GetString() != "ok");

    /// <summary>Messages delivered: the authenticated user, the envelope and the size.</summary>
    public IReadOnlyList<XOAuth2DeliveredMail> Delivered => Events("mail")
        .Select(m => new XOAuth2DeliveredMail(
            m.GetProperty("user").GetString() ?? "",
            m.GetProperty("from").GetString() ?? "",
            m.GetProperty("to").EnumerateArray().Select(t => t.GetString() ?? "").ToList(),
            m.GetProperty("size").GetInt32()))
        .ToList();

    public static async Task<XOAuth2SmtpServer> StartAsync(string acceptedToken, bool implicitTls = false)
    {
        var folder = Directory.CreateTempSubdirectory("bridge-xoauth2-").FullName;
        using var certificate = TestCertificates.CreateLocalhost();
        File.WriteAllText(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem());
        using (var key = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The test certificate has no RSA key."))
        {
            File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(Path.Combine(folder, "token"), acceptedToken);
        File.WriteAllText(Path.Combine(folder, "events.jsonl"), "");

        var port = FreePort.Next();
        var start = new ProcessStartInfo(FindNode())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.Combine("tests", "peers", "xoauth2-smtp.mjs"));
        foreach (var (name, value) in new[]
                 {
                     ("--port", port.ToString()), ("--cert", Path.Combine(folder, "cert.pem")), ("--key", Path.Combine(folder, "key.pem")),
                     ("--token-file", Path.Combine(folder, "token")), ("--events", Path.Combine(folder, "events.jsonl")),
                 })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }

        if (implicitTls)
        {
            start.ArgumentList.Add("--implicit-tls");
        }

        start.Environment["BRIDGE_SMTP_SERVER_MODULES"] = FindModules();
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new XOAuth2SmtpServer(process, folder, port, implicitTls, TestCertificates.Sha256Thumbprint(certificate));
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => !process.HasExited);
        }
        catch (System.Net.Sockets.SocketException) when (process.HasExited)
        {
            // Reported below with what node said.
        }

        if (process.HasExited)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"The XOAUTH2 test server exited at start with code {process.ExitCode}: {errors}");
        }

        return server;
    }

    /// <summary>From the next login on, only this token is accepted.</summary>
    public void AcceptToken(string token) => File.WriteAllText(TokenFile, token);

    /// <summary>A clean slate for the next test: only <paramref name="token"/> accepted, nothing recorded.</summary>
    public void Reset(string token)
    {
        AcceptToken(token);
        File.WriteAllText(EventsFile, "");
    }

    /// <summary>From the next login on, every login fails as Microsoft 365 does when SMTP AUTH is disabled (535 5.7.139).</summary>
    public void DisableSmtpAuth() => File.AppendAllText(TokenFile, "\ndisabled");

    public async ValueTask DisposeAsync()
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        if (!process.HasExited)
        {
            // Closing stdin asks the script to stop; kill it if it does not.
            process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private IEnumerable<JsonElement> Events(string kind)
    {
        foreach (var line in File.ReadAllLines(EventsFile).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty(kind, out var value))
            {
                yield return value.Clone();
            }
        }
    }

    private static string FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "node"))
        .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("node was not found on PATH; the XOAUTH2 test server needs Node.js 20+.");

    private static string FindModules()
    {
        var configured = Environment.GetEnvironmentVariable("BRIDGE_SMTP_SERVER_MODULES");
        var modules = configured is { Length: > 0 } ? configured : RepoPaths.Combine(".tools", "smtp-server", "node_modules");
        return File.Exists(Path.Combine(modules, "smtp-server", "package.json"))
            ? modules
            : throw new InvalidOperationException(
                $"The smtp-server package was not found in {modules}. Run scripts/install-tools.sh smtp-server " +
                "(or set BRIDGE_SMTP_SERVER_MODULES to a node_modules folder that holds it).");
    }
}
