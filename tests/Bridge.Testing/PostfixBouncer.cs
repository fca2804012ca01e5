using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>
/// A private Postfix (Debian's) that takes mail on a free loopback port and cannot deliver to <c>example.org</c>: the
/// server it relays such mail to refuses every recipient with 550 5.1.1, so Postfix writes its own DSN to the sender. Mail
/// for <c>shop.example</c> (the senders) is delivered as maildir into <see cref="Dovecot"/>'s mailbox of one user, where
/// the bounce mailbox reads it: the whole way a real bounce travels. Needs root (Postfix's daemons switch users).
/// </summary>
public sealed class PostfixBouncer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/postfix";

    private readonly DirectoryInfo folder;

    private PostfixBouncer(DirectoryInfo folder, int port)
    {
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    private string Etc => Path.Combine(folder.FullName, "etc");

    public string Log => File.Exists(Path.Combine(folder.FullName, "maillog")) ? File.ReadAllText(Path.Combine(folder.FullName, "maillog")) : "";

    public static async Task<PostfixBouncer> StartAsync(Dovecot mailbox)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run scripts/install-tools.sh apt:postfix.");
        }

        var dir = Directory.CreateTempSubdirectory("bridge-postfix-");
        // Postfix's daemons run as postfix and must reach their data folder.
        await ProcessRun.CheckedAsync("chmod", "755", dir.FullName);
        var etc = Directory.CreateDirectory(Path.Combine(dir.FullName, "etc")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(dir.FullName, "data")).FullName;
        Directory.CreateDirectory(Path.Combine(dir.FullName, "queue"));
        await ProcessRun.CheckedAsync("chown", "postfix", data);
        var port = FreePort.Next();
        var remote = FreePort.Next();
        // example.org's "remote" server is a second smtpd of the same instance, under another name (or Postfix would see
        // a loop), refusing every recipient at RCPT as a real server refuses an unknown mailbox.
        File.WriteAllText(Path.Combine(etc, "transport"), $"/@example\\.org$/ smtp:[127.0.0.1]:{remote}\n");
        File.WriteAllText(Path.Combine(etc, "refused"), "/@example\\.org$/ 550 5.1.1 User unknown in this test's remote server\n");
        File.WriteAllText(Path.Combine(etc, "mailboxes"), $"/./ {mailbox.User}/\n");
        File.WriteAllText(Path.Combine(etc, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {dir.FullName}/queue
            data_directory = {data}
            maillog_file = {dir.FullName}/maillog
            maillog_file_prefixes = /var, /dev/stdout, {dir.FullName}
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = mx.bounce.test
            mydestination =
            alias_maps =
            alias_database =
            mynetworks = 127.0.0.0/8
            transport_maps = regexp:{etc}/transport
            virtual_mailbox_domains = shop.example
            virtual_mailbox_maps = regexp:{etc}/mailboxes
            virtual_mailbox_base = {mailbox.MaildirRoot}
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            smtpd_delay_reject = no
            """);
        var master = File.ReadAllLines("/etc/postfix/master.cf")
            .Where(line => !System.Text.RegularExpressions.Regex.IsMatch(line, @"^smtp\s+inet"))
            // No chroot: the private instance's files are outside any jail.
            .Select(line => System.Text.RegularExpressions.Regex.Replace(line, @"^([^#\s]\S*\s+\S+\s+\S+\s+\S+\s+)y(\s)", "${1}n$2"))
            .Append($"127.0.0.1:{port} inet n - n - - smtpd")
            .Append($"127.0.0.1:{remote} inet n - n - - smtpd")
            .Append("  -o myhostname=mx.example.org")
            .Append($"  -o smtpd_recipient_restrictions=check_recipient_access,regexp:{etc}/refused,permit_mynetworks,reject");
        File.WriteAllLines(Path.Combine(etc, "master.cf"), master);

        var postfix = new PostfixBouncer(dir, port);
        // Without syslog a config error only shows through a terminal: script(1) gives it one.
        var (code, said) = await ProcessRun.CapturedAsync("script", "-qc", $"{Executable} -c {etc} start", "/dev/null");
        if (code != 0)
        {
            await postfix.DisposeAsync();
            throw new InvalidOperationException($"postfix did not start ({code}): {said} {postfix.Log}");
        }

        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(15));
        return postfix;
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessRun.CapturedAsync(Executable, "-c", Etc, "stop");
        // The master may take a moment to go: wait for its pid to end before the folder is removed (bounded).
        var pidFile = Path.Combine(folder.FullName, "queue", "pid", "master.pid");
        for (var i = 0; i < 40 && File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && IsRunning(pid); i++)
        {
            await Task.Delay(250);
        }

        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A daemon may still hold a file for a moment; the temp folder is cleared eventually.
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
