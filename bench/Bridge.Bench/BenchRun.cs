using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Bridge.Core.Diagnostics;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;

namespace Bridge.Bench;

/// <summary>
/// The whole run: services up, warm-up, then for each size the storage ceiling and, for each sink, the
/// SMTP ceiling, the naive baseline and the end-to-end run; then the memory runs; then the report.
/// Everything shares one Azurite, one Bridge.Server and the same sinks, so ratios hold on a noisy machine.
/// </summary>
public sealed class BenchRun(BenchOptions options)
{
    private const string KeyName = "bench";

    public async Task<Report> RunAsync()
    {
        Children.KillAllOnSignal();
        var loadAtStart = LoadAverage();
        var sinks = options.Sinks.Select(name => options.Target(name)!).ToList();
        var serverDll = options.ServerDll ?? RepoPaths.Combine("src", "Bridge.Server", "bin", "Release", "net10.0", "Bridge.Server.dll");
        if (!File.Exists(serverDll))
        {
            throw new InvalidOperationException($"{serverDll} is missing: build it first (dotnet build -c Release src/Bridge.Server) or pass --server.");
        }

        Log("starting Azurite");
        await using var azurite = options.Storage is null ? await Azurite.StartAsync(AzuriteEnvironment()) : null;
        if (azurite is not null)
        {
            Children.Track(Process.GetProcessById(azurite.Pid));
        }

        var connectionString = options.Storage ?? azurite!.ConnectionString;
        await using var latency = azurite is not null && options.StorageLatencyMs > 0 ? new StorageLatency(azurite, options.StorageLatencyMs) : null;
        if (latency is not null)
        {
            Log($"storage latency: {options.StorageLatencyMs} ms per request through proxies");
            connectionString = latency.ConnectionString;
        }
        var azuritePid = azurite?.Pid;

        var apiKey = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Log($"starting Bridge.Server ({serverDll})");
        await using var server = await BridgeServer.StartAsync(serverDll, ServerEnvironment(connectionString, apiKey, sinks, options.ServerSettings), apiKey, options.ServerLog);
        var endToEnd = new EndToEnd(server, apiKey, azuritePid, connectionString);

        var counter = new StorageRequestCounter();
        var storage = StorageClients.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection([new(StorageNames.ConnectionName, connectionString)]).Build(),
            counter.Attach);
        var ceiling = new StorageCeiling(storage, counter, connectionString);
        await ceiling.PrepareAsync();

        Log("warming up");
        await ceiling.RunAsync(1024, 200, options.Concurrency, null);
        foreach (var sink in sinks)
        {
            await DirectSmtp.WarmAsync(sink);
            await WarmUntilJitQuietAsync(endToEnd, sink, options);
        }

        await ceiling.ResetTableAsync(StorageNames.MessagesTable);
        var afterWarmup = await server.MetricsAsync();
        var rows = new List<ResultRow>();
        foreach (var size in options.Sizes)
        {
            Log($"storage ceiling, {BenchOptions.FormatSize(size)}");
            var storageRow = await ceiling.RunAsync(size, options.Messages, options.Concurrency, azuritePid);
            rows.Add(storageRow);
            foreach (var sink in sinks)
            {
                Log($"SMTP ceiling, {sink.Name}, {BenchOptions.FormatSize(size)}");
                var smtpRow = await DirectSmtp.ReusedAsync(sink, size, options.Messages, options.SmtpConnections);
                rows.Add(smtpRow);
                Log($"naive baseline, {sink.Name}, {BenchOptions.FormatSize(size)}");
                rows.Add(await DirectSmtp.NaiveAsync(sink, size, options.NaiveCount, options.SmtpConnections));
                Log($"E2E, {sink.Name}, {BenchOptions.FormatSize(size)}");
                await ceiling.ResetTableAsync(StorageNames.MessagesTable);
                var body = MessageFactory.TextRequest(sink.Profile, size);
                var e2e = await endToEnd.RunAsync(Phases.EndToEnd, sink, size, body, options.Messages, options.Concurrency, options.PhaseTimeout);
                var lowerCeiling = Math.Min(storageRow.Rate, smtpRow.Rate);
                e2e.Ratio = e2e.Rate / lowerCeiling;
                rows.Add(e2e);
                if (options.Paced > 0)
                {
                    Log($"E2E paced at {options.Paced} of the lower ceiling, {sink.Name}, {BenchOptions.FormatSize(size)}");
                    await ceiling.ResetTableAsync(StorageNames.MessagesTable);
                    var paced = await endToEnd.RunAsync(Phases.Paced, sink, size, body, options.Messages, options.Concurrency, options.PhaseTimeout,
                        options.Paced * lowerCeiling);
                    paced.Ratio = paced.Rate / lowerCeiling;
                    paced.Offered = options.Paced;
                    rows.Add(paced);
                }
            }
        }

        var afterThroughput = await server.MetricsAsync();
        var memory = new List<MemoryRow>();
        var memorySink = sinks.LastOrDefault(s => s.Name == SinkNames.Postfix) ?? sinks[0];
        var memoryRun = new MemoryRun(server, endToEnd);
        foreach (var size in options.MemorySizes)
        {
            Log($"memory, {memorySink.Name}, attachment {BenchOptions.FormatSize(size)}");
            await ceiling.ResetTableAsync(StorageNames.MessagesTable);
            memory.Add(await memoryRun.RunAsync(memorySink, size));
        }

        return new Report(options, rows, memory, afterWarmup, afterThroughput, loadAtStart, LoadAverage());
    }

    /// <summary>
    /// Rounds of <see cref="BenchOptions.Warmup"/> messages of each size, until a round's server JIT time is under
    /// <see cref="QuietJitMsPerMessage"/> (at most <see cref="MaxWarmupRounds"/>). Tiered compilation recompiles hot
    /// methods for a while after the first messages, and that one-off cost is not what a message costs a running server;
    /// each row still shows what JIT time fell into it.
    /// </summary>
    private static async Task WarmUntilJitQuietAsync(EndToEnd endToEnd, SinkTarget sink, BenchOptions options)
    {
        if (options.Warmup <= 0)
        {
            return;
        }

        for (var round = 1; round <= MaxWarmupRounds; round++)
        {
            var jit = 0.0;
            foreach (var size in options.Sizes)
            {
                var warm = await endToEnd.RunAsync("warm-up", sink, size, MessageFactory.TextRequest(sink.Profile, size),
                    options.Warmup, options.Concurrency, options.PhaseTimeout);
                jit = Math.Max(jit, warm.ServerJitMsPerMessage ?? 0);
                Log($"  warm-up {sink.Name} {BenchOptions.FormatSize(size)}, round {round}: {warm.Messages} sent, server JIT {warm.ServerJitMsPerMessage:0.00} ms/msg");
            }

            if (jit < QuietJitMsPerMessage)
            {
                return;
            }
        }
    }

    private const int MaxWarmupRounds = 8;
    private const double QuietJitMsPerMessage = 0.1;

    internal static Dictionary<string, string> ServerEnvironment(
        string storage, string apiKey, IEnumerable<SinkTarget> sinks, IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storage,
            ["Bridge__Diagnostics__Metrics"] = "true",
            [$"Bridge__ApiKeys__{KeyName}__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))),
            [$"Bridge__ApiKeys__{KeyName}__Scopes"] = "send,read,admin",
            [$"Bridge__ApiKeys__{KeyName}__RequestsPerSecond"] = "0",
        };
        foreach (var sink in sinks)
        {
            var profile = $"Bridge__Smtp__Profiles__{sink.Profile}__";
            environment[profile + "Host"] = sink.Host;
            environment[profile + "Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment[profile + "Security"] = sink.StartTls ? "StartTls" : "None";
            if (sink.User is not null)
            {
                var secret = sink.Profile + "Password";
                environment[profile + "Username"] = sink.User;
                environment[profile + "PasswordSecret"] = secret;
                environment[$"Bridge__Secrets__{secret}"] = sink.Password!;
            }

            if (sink.Thumbprint is not null)
            {
                environment[profile + "TrustedCertificateThumbprint"] = sink.Thumbprint;
            }
        }

        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Defers Azurite's extent sweeps past the run unless <c>--azurite-gc on</c> (see azurite-defer-gc.cjs).</summary>
    private Dictionary<string, string> AzuriteEnvironment() => options.AzuriteGc
        ? []
        : new() { ["NODE_OPTIONS"] = $"--require \"{Path.Combine(AppContext.BaseDirectory, "azurite-defer-gc.cjs")}\"" };

    /// <summary>The 1, 5 and 15 minute load averages: how busy the machine was besides this run.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static void Log(string text) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} bench: {text}");
}
