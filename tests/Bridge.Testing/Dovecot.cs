using System.Diagnostics;
using MailKit;
using Xunit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Bridge.Testing;

/// <summary>
/// A private IMAP server (Debian's dovecot-imapd) on a free loopback port, one user, mail kept as maildir in a
/// scratch folder. Loopback logins count as secured, so plain LOGIN works without TLS. The test side appends and
/// inspects mail with its own MailKit client, as another mail program would.
/// </summary>
public sealed class Dovecot : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/dovecot";

    /// <summary>Dovecot's mail processes never run as root: the maildir belongs to this user (nobody).</summary>
    private const int MailUid = 65534;

    private readonly Process process;
    private readonly DirectoryInfo folder;

    private Dovecot(Process process, DirectoryInfo folder, int port, string user, string password)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
        User = user;
        Password = password;
    }

    public int Port { get; }

    /// <summary>Where the users' maildirs live (<c>&lt;root&gt;/&lt;user&gt;</c>), owned by nobody: an MTA may deliver into them.</summary>
    public string MaildirRoot => Path.Combine(folder.FullName, "imap");
    public string User { get; }
    public string Password { get; }

    public string Log => File.Exists(Path.Combine(folder.FullName, "dovecot.log")) ? File.ReadAllText(Path.Combine(folder.FullName, "dovecot.log")) : "";

    public static async Task<Dovecot> StartAsync(string user = "bounces", string password = "imap-Passw0rd")
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run scripts/install-tools.sh apt:dovecot-imapd.");
        }

        var dir = Directory.CreateTempSubdirectory("bridge-dovecot-");
        // Created 0700; the mail processes (uid nobody) must pass through it to their maildir.
        await ProcessRun.CheckedAsync("chmod", "755", dir.FullName);
        var imap = Directory.CreateDirectory(Path.Combine(dir.FullName, "imap"));
        await ProcessRun.CheckedAsync("chown", $"{MailUid}:{MailUid}", imap.FullName);
        File.WriteAllText(Path.Combine(dir.FullName, "users"), $"{user}:{{PLAIN}}{password}::::::\n");
        var port = FreePort.Next();
        var config = Path.Combine(dir.FullName, "dovecot.conf");
        File.WriteAllText(config, $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{dir.FullName}}/run
            state_dir = {{dir.FullName}}/state
            log_path = {{dir.FullName}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            auth_failure_delay = 0
            mail_location = maildir:{{dir.FullName}}/imap/%u
            first_valid_uid = {{MailUid}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{dir.FullName}}/users
            }
            userdb {
              driver = static
              args = uid={{MailUid}} gid={{MailUid}} home={{dir.FullName}}/imap/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """);
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-c", config, "-F" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dovecot did not start.");
        var dovecot = new Dovecot(process, dir, port, user, password);
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(15), () => !process.HasExited);
        }
        catch (System.Net.Sockets.SocketException) when (process.HasExited)
        {
            // Reported below with what dovecot said.
        }

        if (process.HasExited)
        {
            var said = await process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException($"dovecot exited at start with code {process.ExitCode}: {said} {dovecot.Log}");
        }

        return dovecot;
    }

    /// <summary>Appends <paramref name="message"/> unread to the user's INBOX and returns its UID.</summary>
    public async Task<UniqueId> AppendAsync(MimeMessage message)
    {
        using var client = await ConnectAsync();
        var uid = await client.Inbox.AppendAsync(message, MessageFlags.None);
        await client.DisconnectAsync(true);
        return uid ?? throw new InvalidOperationException("The server did not say the appended message's UID (UIDPLUS).");
    }

    /// <summary>Waits until the INBOX holds a mail matching <paramref name="query"/> (bounded), and returns its UID.</summary>
    public async Task<UniqueId> WaitForAsync(MailKit.Search.SearchQuery query, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            using var client = await ConnectAsync();
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var found = await client.Inbox.SearchAsync(query);
            await client.DisconnectAsync(true);
            if (found.Count > 0)
            {
                return found[^1];
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No mail matching {query} arrived within {timeout}. Dovecot's log: {Log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Whether the mail with <paramref name="uid"/> carries <c>\Seen</c>.</summary>
    public async Task<bool> IsSeenAsync(UniqueId uid)
    {
        using var client = await ConnectAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summary = Assert.Single(await client.Inbox.FetchAsync([uid], MessageSummaryItems.Flags));
        await client.DisconnectAsync(true);
        return summary.Flags!.Value.HasFlag(MessageFlags.Seen);
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // The master and the login and auth processes it started.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A mail process may still hold a file for a moment; the temp folder is cleared eventually.
        }
    }
}
