using System.Diagnostics;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// A headless WordPress (Debian's wordpress package, run by php-cli) on a private MariaDB under a temp folder, with
/// clients/wordpress/bridge-mail.php installed and active. No web server: tests/peers/wordpress-send.php loads
/// wp-load.php and calls wp_mail(). Its wp-config.php reads BRIDGE_URL and BRIDGE_API_KEY from the environment of each
/// php run, so one site serves the constants' path and (without them) the settings page's option.
/// </summary>
public sealed class WordPressSite : IAsyncLifetime
{
    private const string DatabasePassword = "wp-test-password";
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("bridge-wp-");
    private Process? mariadb;

    private string Socket => Path.Combine(root.FullName, "mysql.sock");
    public string Site => Path.Combine(root.FullName, "wp");

    public async Task InitializeAsync()
    {
        var data = Path.Combine(root.FullName, "mysql");
        // --no-defaults first, or /etc/mysql/my.cnf brings port 3306 and /run/mysqld. CI runs as root, which mariadbd
        // refuses unless told to run as that user.
        await RunAsync("mariadb-install-db", ["--no-defaults", $"--user={Environment.UserName}", $"--datadir={data}",
            "--auth-root-authentication-method=socket", "--skip-test-db"]);
        mariadb = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/mariadbd") ? "/usr/sbin/mariadbd" : "mariadbd")
        {
            ArgumentList =
            {
                "--no-defaults", $"--user={Environment.UserName}", $"--datadir={data}", $"--socket={Socket}", "--skip-networking",
                $"--pid-file={Path.Combine(data, "mariadbd.pid")}", $"--log-error={Path.Combine(root.FullName, "mysql.err")}",
                "--innodb-buffer-pool-size=32M",
            },
        }) ?? throw new InvalidOperationException("mariadbd did not start.");
        await WaitForDatabaseAsync(TimeSpan.FromSeconds(30));
        await RunAsync("mariadb", ["--no-defaults", "-uroot", $"--socket={Socket}", "-e",
            $"CREATE DATABASE wp; CREATE USER 'wp'@'localhost' IDENTIFIED BY '{DatabasePassword}'; GRANT ALL ON wp.* TO 'wp'@'localhost';"]);

        // Debian's own wp-config.php reads /etc/wordpress and its .htaccess links there: both are replaced.
        await RunAsync("cp", ["-r", "/usr/share/wordpress", Site]);
        File.Delete(Path.Combine(Site, ".htaccess"));
        await File.WriteAllTextAsync(Path.Combine(Site, "wp-config.php"), $$"""
            <?php
            define( 'DB_NAME', 'wp' );
            define( 'DB_USER', 'wp' );
            define( 'DB_PASSWORD', '{{DatabasePassword}}' );
            define( 'DB_HOST', 'localhost:{{Socket}}' );
            define( 'DB_CHARSET', 'utf8mb4' );
            define( 'WP_HOME', 'http://localhost' );
            define( 'WP_SITEURL', 'http://localhost' );
            define( 'WP_CONTENT_DIR', __DIR__ . '/wp-content' );
            define( 'DISABLE_WP_CRON', true );
            if ( false !== getenv( 'BRIDGE_URL' ) ) {
                define( 'BRIDGE_URL', getenv( 'BRIDGE_URL' ) );
                define( 'BRIDGE_API_KEY', getenv( 'BRIDGE_API_KEY' ) );
            }
            $table_prefix = 'wp_';
            if ( ! defined( 'ABSPATH' ) ) {
                define( 'ABSPATH', __DIR__ . '/' );
            }
            require_once ABSPATH . 'wp-settings.php';
            """);
        var plugin = Directory.CreateDirectory(Path.Combine(Site, "wp-content", "plugins", "bridge-mail"));
        File.Copy(RepoPaths.Combine("clients", "wordpress", "bridge-mail.php"), Path.Combine(plugin.FullName, "bridge-mail.php"));

        var installed = await PhpAsync("wordpress-install.php", [Site, "bridge-mail/bridge-mail.php"], new Dictionary<string, string>());
        Assert.Equal("ok", installed.Result.GetString());
    }

    /// <summary>
    /// Runs tests/peers/wordpress-send.php with <paramref name="arguments"/> (wp_mail()'s, see the script) and the
    /// environment given: what it printed (wp_mail()'s result and the actions it saw) and what reached PHP's mail().
    /// </summary>
    public async Task<PhpRun> SendAsync(object arguments, IReadOnlyDictionary<string, string> environment)
    {
        var file = Path.Combine(root.FullName, $"mail-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(arguments));
        return await PhpAsync("wordpress-send.php", [Site, file], environment);
    }

    /// <summary>Runs tests/peers/wordpress-settings.php: the settings page saved and rendered (see the script).</summary>
    public async Task<JsonElement> SettingsPageAsync() =>
        (await PhpAsync("wordpress-settings.php", [Site], new Dictionary<string, string>())).Result;

    public Task DisposeAsync()
    {
        if (mariadb is not null)
        {
            mariadb.Kill(entireProcessTree: true);
            mariadb.WaitForExit();
            mariadb.Dispose();
        }

        root.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs a peer script with php-cli: the JSON of its "RESULT: " line, and what it gave PHP's mail() if anything.</summary>
    private async Task<PhpRun> PhpAsync(string script, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        // Notices to stderr, so stdout holds the result; a fallback to PHP's mail() lands in a file, never in a real MTA.
        var sendmail = Path.Combine(root.FullName, $"sendmail-{Guid.NewGuid():N}.eml");
        var start = new ProcessStartInfo("php")
        {
            ArgumentList = { "-d", "display_errors=stderr", "-d", $"sendmail_path=cat >> {sendmail}", RepoPaths.Combine("tests", "peers", script) },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("BRIDGE_URL");
        start.Environment.Remove("BRIDGE_API_KEY");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = await NodePeer.RunAsync(start, TimeSpan.FromSeconds(60));
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT: ", StringComparison.Ordinal));
        Assert.True(line is not null, $"php {script} printed no result:\n{output}");
        return new PhpRun(JsonDocument.Parse(line["RESULT: ".Length..]).RootElement.Clone(),
            File.Exists(sendmail) ? await File.ReadAllTextAsync(sendmail) : null);
    }

    private async Task WaitForDatabaseAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (File.Exists(Socket))
            {
                using var ping = Process.Start(new ProcessStartInfo("mariadb-admin")
                {
                    ArgumentList = { "--no-defaults", "-uroot", $"--socket={Socket}", "ping" },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                })!;
                await ping.WaitForExitAsync();
                if (ping.ExitCode == 0)
                {
                    return;
                }
            }

            if (mariadb!.HasExited || deadline.Elapsed > timeout)
            {
                var log = Path.Combine(root.FullName, "mysql.err");
                throw new TimeoutException($"MariaDB did not come up: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log")}");
            }

            await Task.Delay(100);
        }
    }

    private static Task<string> RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return NodePeer.RunAsync(start, TimeSpan.FromSeconds(60));
    }
}

/// <summary>What a php peer script printed, and the mail it handed PHP's mail() (null when none: no fallback).</summary>
public sealed record PhpRun(JsonElement Result, string? Sendmail);
