using System.Diagnostics;
using System.Text;

namespace Bridge.Testing;

/// <summary>
/// A private DNS server (Debian's dnsmasq) on a free loopback port, answering exactly the records it was
/// started with. A name it does not know inside one of its zones is NXDOMAIN; any other name is REFUSED.
/// </summary>
public sealed class LoopbackDns : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/dnsmasq";

    private readonly Process process;
    private readonly StringBuilder log;

    private LoopbackDns(Process process, int port, StringBuilder log)
    {
        this.process = process;
        Port = port;
        this.log = log;
    }

    public int Port { get; }

    /// <summary>The value of <c>Bridge:Dns:Servers</c> that points at this server.</summary>
    public string Server => $"127.0.0.1:{Port}";

    /// <summary>What dnsmasq logged (every query), for a failing test's message.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static async Task<LoopbackDns> StartAsync(DnsZoneRecords records)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run scripts/install-tools.sh apt:dnsmasq-base.");
        }

        var port = FreePort.Next();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--pid-file=",
                     "--listen-address=127.0.0.1", "--bind-interfaces", $"--port={port}", "--log-facility=-", "--log-queries",
                 }.Concat(records.Arguments))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dnsmasq did not start.");
        var log = new StringBuilder();
        DataReceivedEventHandler append = (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dns = new LoopbackDns(process, port, log);
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), () => !process.HasExited);
        }
        catch (System.Net.Sockets.SocketException) when (process.HasExited)
        {
            // Reported below with what dnsmasq said.
        }

        if (process.HasExited)
        {
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"dnsmasq exited at start with code {process.ExitCode}: {dns.Log}");
        }

        return dns;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}

/// <summary>The zones and records a <see cref="LoopbackDns"/> serves, as dnsmasq options.</summary>
public sealed class DnsZoneRecords
{
    private readonly List<string> arguments = [];

    public IReadOnlyList<string> Arguments => arguments;

    /// <summary>Answers for names under <paramref name="zone"/> come from here only: unknown names are NXDOMAIN.</summary>
    public DnsZoneRecords Zone(string zone)
    {
        arguments.Add($"--local=/{zone}/");
        return this;
    }

    /// <summary>A TXT record. dnsmasq splits a value into strings at commas, so values hold none.</summary>
    public DnsZoneRecords Txt(string name, string value)
    {
        if (value.Contains(','))
        {
            throw new ArgumentException("dnsmasq splits a TXT value at commas; keep them out of test records.", nameof(value));
        }

        arguments.Add($"--txt-record={name},{value}");
        return this;
    }

    public DnsZoneRecords A(string name, string address)
    {
        arguments.Add($"--host-record={name},{address}");
        return this;
    }

    public DnsZoneRecords Mx(string name, string host, int preference)
    {
        arguments.Add($"--mx-host={name},{host},{preference}");
        return this;
    }
}
