using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bridge.Core.Deliverability;
using Bridge.Core.Delivery;
using Bridge.Core.Secrets;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Bench;

/// <summary>
/// <c>Bridge.Bench dkim</c>: what DKIM signing adds to a send. Bridge's own <see cref="SmtpSender"/> sends
/// through its pool to an in-process SMTP server, unsigned, with one RSA-2048 signature, and with the
/// RSA + Ed25519 pair of RFC 8463; the variants take turns in rounds so that a change in the machine's
/// load falls on all of them. A send is measured in process CPU time, not wall time: the in-process server
/// (whose CPU is counted too, the same for every variant) answers in several writes, and delayed ACKs on
/// loopback would add about 40 ms of idle wire time per message that has nothing to do with signing.
/// Signing alone is timed and its allocations counted on the signing thread (it runs synchronously there
/// once the key is cached).
/// </summary>
public static class DkimCost
{
    private const string Domain = "bench.example";
    private const int Warmup = 30;

    public const string Usage = """
        Bridge.Bench dkim: the cost of DKIM signing per message, and its ratio to an unsigned send.

          --messages N   sends per variant and size (default 400; a quarter of that for sizes of 1 MiB and up)
          --sizes LIST   message sizes, e.g. 1k,1m (default)
          --rounds R     rounds the variants take turns in (default 4)
        """;

    private enum Variant
    {
        Unsigned,
        Rsa,
        RsaAndEd25519,
    }

    public static async Task<int> RunAsync(string[] args)
    {
        int count = 400, rounds = 4;
        IReadOnlyList<int> sizes = [1024, 1024 * 1024];
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--messages": count = BenchOptions.PositiveInt(Value()); break;
                case "--rounds": rounds = BenchOptions.PositiveInt(Value()); break;
                case "--sizes": sizes = BenchOptions.SizeList(Value()); break;
                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        using var process = Process.GetCurrentProcess();
        await using var smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain);
        var rsa = DkimKeys.RsaPkcs8();
        var ed25519 = DkimKeys.Ed25519();
        var senders = new Dictionary<Variant, (SmtpSender Sender, DkimSigning? Signing)>
        {
            [Variant.Unsigned] = Sender(smtp, null),
            [Variant.Rsa] = Sender(smtp, new() { ["rsa"] = rsa }),
            [Variant.RsaAndEd25519] = Sender(smtp, new() { ["rsa"] = rsa, ["ed"] = ed25519 }),
        };

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"load average before: {LoadAverage()}");
        report.AppendLine("| Size | Variant | Signing + send, CPU µs/msg | Ratio to unsigned | Signing µs/msg | Signing KiB allocated/msg |");
        report.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var perRound = Math.Max(1, (size >= 1024 * 1024 ? Math.Max(1, count / 4) : count) / rounds);
            // A message per variant: a signed message keeps its signature headers between sends.
            var messages = senders.Keys.ToDictionary(v => v, _ => Message(size));
            var cpuTime = senders.Keys.ToDictionary(v => v, _ => TimeSpan.Zero);
            var signTime = senders.Keys.ToDictionary(v => v, _ => TimeSpan.Zero);
            var signBytes = senders.Keys.ToDictionary(v => v, _ => 0L);

            // Warm-up: the pool's connection, the parsed keys, the JIT's later tiers.
            foreach (var (variant, (sender, signing)) in senders)
            {
                for (var i = 0; i < Warmup; i++)
                {
                    if (signing is not null)
                    {
                        await signing.SignAsync(messages[variant], CancellationToken.None);
                    }

                    await SendAsync(sender, messages[variant]);
                }
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var (variant, (sender, signing)) in senders)
                {
                    var message = messages[variant];

                    // Process CPU time ticks in clock ticks (10 ms on Linux), so it is read around the whole segment.
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    for (var i = 0; i < perRound; i++)
                    {
                        if (signing is not null)
                        {
                            var before = GC.GetAllocatedBytesForCurrentThread();
                            var signStarted = Stopwatch.GetTimestamp();
                            if (await signing.SignAsync(message, CancellationToken.None) is { } unusable)
                            {
                                throw new InvalidOperationException(unusable.Detail);
                            }

                            signTime[variant] += Stopwatch.GetElapsedTime(signStarted);
                            signBytes[variant] += GC.GetAllocatedBytesForCurrentThread() - before;
                        }

                        await SendAsync(sender, message);
                    }

                    process.Refresh();
                    cpuTime[variant] += process.TotalProcessorTime - cpuBefore;
                }
            }

            var sent = perRound * rounds;
            var unsigned = cpuTime[Variant.Unsigned].TotalMicroseconds / sent;
            foreach (var variant in senders.Keys)
            {
                var send = cpuTime[variant].TotalMicroseconds / sent;
                var signing = variant == Variant.Unsigned ? "–" : (signTime[variant].TotalMicroseconds / sent).ToString("0", CultureInfo.InvariantCulture);
                var allocated = variant == Variant.Unsigned ? "–" : (signBytes[variant] / 1024.0 / sent).ToString("0.0", CultureInfo.InvariantCulture);
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {BenchOptions.FormatSize(size)} | {Name(variant)} | {send:0} | {send / unsigned:0.00} | {signing} | {allocated} |");
            }
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"load average after: {LoadAverage()}");
        Console.WriteLine(report);
        return 0;
    }

    private static string Name(Variant variant) => variant switch
    {
        Variant.Unsigned => "unsigned",
        Variant.Rsa => "rsa-sha256 (2048)",
        _ => "rsa-sha256 + ed25519-sha256",
    };

    /// <summary>A send that does not come back 250 stops the bench.</summary>
    private static async Task SendAsync(SmtpSender sender, MimeMessage message)
    {
        var result = await sender.SendAsync("default", message, $"bench@{Domain}", [MessageFactory.To], CancellationToken.None);
        if (result is not DeliveryResult.Sent)
        {
            throw new InvalidOperationException($"The bench's SMTP server did not take the message: {result}.");
        }
    }

    /// <summary>A sender whose DKIM keys (none for the unsigned variant) come through a real secret cache, as in Bridge.</summary>
    private static (SmtpSender, DkimSigning?) Sender(TestSmtpServer smtp, Dictionary<string, DkimKeys>? keys)
    {
        var secrets = new ConfigurationBuilder()
            .AddInMemoryCollection((keys ?? []).Select(k => KeyValuePair.Create($"{ConfigurationSecretStore.SectionName}:{k.Key}Key", (string?)k.Value.Pem)))
            .Build();
        var cache = new SecretCache(new ConfigurationSecretStore(secrets), TimeProvider.System, Options.Create(new SecretCacheOptions()));
        var profiles = new SmtpOptions();
        profiles.Profiles["default"] = new SmtpProfile { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, TimeoutSeconds = 30 };
        var pool = new SmtpConnectionPool(cache, Options.Create(new DeliveryOptions()), TimeProvider.System, NullLogger<SmtpConnectionPool>.Instance);
        DkimSigning? signing = null;
        if (keys is not null)
        {
            var options = new DkimOptions();
            foreach (var name in keys.Keys)
            {
                options.Keys[name] = new DkimDomain { Domain = Domain, Selector = name, PrivateKeySecret = $"{name}Key" };
            }

            signing = new DkimSigning(Options.Create(options), cache);
        }

        // The sender gets no DkimSigning: the bench signs right before the send itself, to time the two apart.
        return (new SmtpSender(pool, Options.Create(profiles)), signing);
    }

    private static MimeMessage Message(int size)
    {
        var message = MessageFactory.Mime(size);
        message.From.Clear();
        message.From.Add(new MailboxAddress("Bench", $"bench@{Domain}"));
        return message;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
