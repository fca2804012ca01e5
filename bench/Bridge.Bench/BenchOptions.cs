using System.Globalization;

namespace Bridge.Bench;

/// <summary>The command line. Every option has a default; <c>--quick</c> shrinks the workload to a smoke run.</summary>
public sealed record BenchOptions
{
    public int Messages { get; init; } = 2000;
    public int Concurrency { get; init; } = 16;
    public int? NaiveMessages { get; init; }
    public int SmtpConnections { get; init; } = 8;
    public IReadOnlyList<int> Sizes { get; init; } = [1024, 100 * 1024];
    public IReadOnlyList<int> MemorySizes { get; init; } = [1024, 1024 * 1024, MessageFactory.LargestAttachment];
    public IReadOnlyList<string> Sinks { get; init; } = [SinkNames.SmtpSink, SinkNames.Postfix];
    public int Warmup { get; init; } = 200;

    /// <summary>After each E2E phase, the same messages offered at this fraction of the lower ceiling's rate (0: no paced phase).</summary>
    public double Paced { get; init; } = 0.5;
    public string? Storage { get; init; }

    /// <summary>Milliseconds the latency proxy adds to every storage request of Bridge.Server and the ceilings (0: none).</summary>
    public double StorageLatencyMs { get; init; }

    /// <summary>Let Azurite sweep its queue and blob extents on its own schedule (every minute) during the run.</summary>
    public bool AzuriteGc { get; init; }
    public string? ServerDll { get; init; }
    public string? ServerLog { get; init; }

    /// <summary>Set in Bridge.Server's environment only (runtime knobs such as <c>DOTNET_gcServer</c>), after the bench's own settings.</summary>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();
    public SinkTarget? SmtpSink { get; init; }
    public SinkTarget? Postfix { get; init; }
    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The naive baseline opens a connection per message, so it runs a quarter of the messages by default.</summary>
    public int NaiveCount => NaiveMessages ?? Math.Max(1, Messages / 4);

    public const string Usage = """
        Bridge.Bench: end-to-end throughput of Bridge.Server against its storage and SMTP ceilings, in one run.
        (Bridge.Bench dkim --help: the cost of DKIM signing per message.)
        (Bridge.Bench stage-cost [--sizes 1k,100k,1m] [--messages N]: Bridge's own CPU, allocations and storage
         requests per message for accept and for deliver, inline compression off and on, in process.)
        (Bridge.Bench stages [BenchmarkDotNet options]: the pure stages (read JSON, validate, compose, envelope, load,
         write DATA) at 1 KiB, 100 KiB and 1 MiB with BenchmarkDotNet: time and allocations per operation.)
        (Bridge.Bench upload-memory [--server PATH]: Bridge.Server's peak working set for an 18.7 MiB attachment
         as JSON and as multipart, and a 25 MiB multipart upload.)

          --messages N          messages per throughput phase (default 2000)
          --concurrency C       concurrent HTTP posts (default 16)
          --sizes LIST          message sizes for throughput, e.g. 1k,100k (default)
          --memory-sizes LIST   sizes of the one-attachment messages for peak memory (default 1k,1m,25m;
                                25m means the largest attachment whose JSON fits the default 25 MiB request limit)
          --sinks LIST          smtp-sink,postfix (default both)
          --smtp-ceiling-connections K   connections for the SMTP ceiling and the naive baseline (default 8,
                                the pool's MaxConnectionsPerProfile)
          --naive-messages N    messages for the connection-per-message baseline (default messages/4)
          --warmup N            messages per sink and size in each warm-up round (default 200); rounds
                                repeat until the server's JIT is quiet (under 0.1 ms per message, 8 at most)
          --paced F             after each E2E phase, post the same messages at F times the lower ceiling's
                                rate instead of as fast as possible, to see whether Bridge keeps up
                                (default 0.5; 0 leaves the paced phase out)
          --quick               a smoke run: 200 messages, 1k only, memory 1k and 1m
          --index-cost [--messages N]   instead of the run above: storage requests of the message index per
                                accepted and delivered message and per listed page (in process; default 2000)
          --storage CONN        use this storage connection string instead of starting Azurite
          --storage-latency MS  put a TCP proxy between everything and the bench's Azurite that adds MS per
                                request (10x on one in 50): storage with a network's latency (default 0)
          --azurite-gc on|deferred   deferred (default): Azurite's extent sweeps wait until after the run,
                                since each one stalls Azurite for seconds; on: Azurite's own schedule
          --server PATH         Bridge.Server.dll (default: src/Bridge.Server/bin/Release/net10.0/Bridge.Server.dll)
          --server-log FILE     also write Bridge.Server's whole console output to FILE
          --server-env K=V      set K=V in Bridge.Server's environment only (repeatable), e.g. DOTNET_gcServer=0
          --smtp-sink HOST:PORT                     postfix's smtp-sink (plain)
          --postfix HOST:PORT --postfix-user U --postfix-password P --postfix-thumbprint SHA256
                                Postfix with STARTTLS + AUTH and a self-signed certificate
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        var quick = false;
        string? postfixAddress = null, postfixUser = null, postfixPassword = null, postfixThumbprint = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--messages": options = options with { Messages = PositiveInt(Value()) }; break;
                case "--concurrency": options = options with { Concurrency = PositiveInt(Value()) }; break;
                case "--naive-messages": options = options with { NaiveMessages = PositiveInt(Value()) }; break;
                case "--smtp-ceiling-connections": options = options with { SmtpConnections = PositiveInt(Value()) }; break;
                case "--sizes": options = options with { Sizes = SizeList(Value()) }; break;
                case "--memory-sizes": options = options with { MemorySizes = SizeList(Value()) }; break;
                case "--sinks": options = options with { Sinks = SinkList(Value()) }; break;
                case "--warmup": options = options with { Warmup = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--paced": options = options with { Paced = Fraction(Value()) }; break;
                case "--quick": quick = true; break;
                case "--storage": options = options with { Storage = Value() }; break;
                case "--storage-latency": options = options with { StorageLatencyMs = double.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--azurite-gc": options = options with { AzuriteGc = Value() switch
                {
                    "on" => true,
                    "deferred" => false,
                    var other => throw new ArgumentException($"--azurite-gc takes on or deferred, not '{other}'."),
                } }; break;
                case "--server": options = options with { ServerDll = Value() }; break;
                case "--server-log": options = options with { ServerLog = Value() }; break;
                case "--server-env": options = options with { ServerSettings = WithSetting(options.ServerSettings, Value()) }; break;
                case "--smtp-sink": options = options with { SmtpSink = SinkTarget.Plain(SinkNames.SmtpSink, Value()) }; break;
                case "--postfix": postfixAddress = Value(); break;
                case "--postfix-user": postfixUser = Value(); break;
                case "--postfix-password": postfixPassword = Value(); break;
                case "--postfix-thumbprint": postfixThumbprint = Value(); break;
                case "--help" or "-h": throw new HelpRequestedException();
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (quick)
        {
            options = options with
            {
                Messages = Math.Min(options.Messages, 200), Sizes = [1024], MemorySizes = [1024, 1024 * 1024], Warmup = Math.Min(options.Warmup, 20),
            };
        }

        if (postfixAddress is not null)
        {
            options = options with
            {
                Postfix = SinkTarget.StartTlsWithAuth(SinkNames.Postfix, postfixAddress,
                    postfixUser ?? throw new ArgumentException("--postfix needs --postfix-user."),
                    postfixPassword ?? throw new ArgumentException("--postfix needs --postfix-password."),
                    postfixThumbprint ?? throw new ArgumentException("--postfix needs --postfix-thumbprint.")),
            };
        }

        foreach (var sink in options.Sinks)
        {
            if (options.Target(sink) is null)
            {
                throw new ArgumentException($"--sinks names {sink}, but no address was given (--{sink} HOST:PORT).");
            }
        }

        return options;
    }

    public SinkTarget? Target(string sink) => sink switch
    {
        SinkNames.SmtpSink => SmtpSink,
        SinkNames.Postfix => Postfix,
        _ => null,
    };

    public static string FormatSize(int bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        >= 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} B",
    };

    private static Dictionary<string, string> WithSetting(IReadOnlyDictionary<string, string> settings, string text)
    {
        var separator = text.IndexOf('=', StringComparison.Ordinal);
        return separator > 0
            ? new Dictionary<string, string>(settings) { [text[..separator]] = text[(separator + 1)..] }
            : throw new ArgumentException($"--server-env takes KEY=VALUE, not '{text}'.");
    }

    internal static int PositiveInt(string text) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new ArgumentException($"'{text}' is not a positive number.");

    private static double Fraction(string text) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new ArgumentException($"'{text}' is not a fraction between 0 and 1.");

    private static IReadOnlyList<string> SinkList(string text)
    {
        var sinks = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var sink in sinks)
        {
            if (sink is not (SinkNames.SmtpSink or SinkNames.Postfix))
            {
                throw new ArgumentException($"Unknown sink '{sink}' (smtp-sink or postfix).");
            }
        }

        return sinks;
    }

    /// <summary>Sizes like <c>1k</c>, <c>100k</c>, <c>1m</c>; <c>25m</c> stands for the largest attachment that fits the default request limit.</summary>
    internal static IReadOnlyList<int> SizeList(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(item => item.ToLowerInvariant() switch
        {
            "25m" => MessageFactory.LargestAttachment,
            var k when k.EndsWith('k') => PositiveInt(k[..^1]) * 1024,
            var m when m.EndsWith('m') => PositiveInt(m[..^1]) * 1024 * 1024,
            var b => PositiveInt(b),
        })
        .ToList();
}

public sealed class HelpRequestedException() : Exception("help");
