using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Bridge.Core;
using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Messages;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.Bench;

/// <summary>
/// <c>stage-cost</c>: Bridge's own cost per message, in process, split into accept (the send endpoint: read the JSON,
/// validate, compose the MIME, build the envelope, the storage writes) and deliver (the worker: claim, load, SMTP,
/// outcome), for each size with inline compression off and on, side by side in one run. Counted: this process's
/// CPU time (user + system, every thread: the Azure SDK's and the GC's too) and allocated bytes per message, and
/// storage requests per message on Bridge's own clients. Azurite and the SMTP server (Postfix's smtp-sink, a child
/// process) run outside it, so their CPU is not counted. Accept latency is measured at a fixed concurrency beside a
/// bare queue put of the same clients, the ratio the issue asks about.
/// </summary>
public static class StageCost
{
    public const string Command = "stage-cost";
    private const string Key = "bench-key-000001";
    private const int Concurrency = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        IReadOnlyList<int> sizes = Option(args, "--sizes") is { } list ? BenchOptions.SizeList(list) : [1024, 100 * 1024, 1024 * 1024];
        var messages = Option(args, "--messages") is { } count ? int.Parse(count, CultureInfo.InvariantCulture) : 300;
        var latencyMs = Option(args, "--latency") is { } ms ? double.Parse(ms, CultureInfo.InvariantCulture) : 0;
        Children.KillAllOnSignal();
        await using var azurite = await Azurite.StartAsync();
        Children.Track(Process.GetProcessById(azurite.Pid));
        var smtpPort = FreePort.Next();
        using var sink = Process.Start(new ProcessStartInfo("/usr/sbin/smtp-sink", $"-u nobody -a 127.0.0.1:{smtpPort} 256")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("smtp-sink did not start (install postfix).");
        Children.Track(sink);
        await FreePort.WaitUntilListeningAsync(smtpPort, TimeSpan.FromSeconds(10));

        // With --latency, Bridge's storage (and the bare put) go through proxies that add it to every request, with a
        // tail of 10 times it on one request in 50: Azure Storage's latency within a region, roughly.
        await using var proxies = latencyMs > 0 ? new StorageLatency(azurite, latencyMs) : null;
        var storage = proxies?.ConnectionString ?? azurite.ConnectionString;

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Stage cost: {messages} messages per row (1 MiB: a quarter), accept at concurrency {Concurrency}, deliver 8 at a time; in process over Azurite and smtp-sink.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Storage latency added per request: {(latencyMs > 0 ? $"{latencyMs} ms, +{latencyMs * 10} ms on 2%" : "none (Azurite on loopback)")}.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Load average at the start: {Load()}");
        report.AppendLine();
        report.AppendLine("| size | inline compression | stage | CPU ms/msg | of which JIT | allocated KiB/msg | storage requests/msg | accept p50 ms | accept p99 ms | bare queue put p99 ms | p99 / put p99 |");
        report.AppendLine("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        try
        {
            foreach (var size in sizes)
            {
                foreach (var compress in new[] { false, true })
                {
                    var n = size >= 1024 * 1024 ? Math.Max(10, messages / 4) : messages;
                    await using var bridge = await InProcessBridge.StartAsync(azurite, storage, smtpPort, compress);
                    await bridge.WarmAsync(size, n, Concurrency); // JIT, connections, the secret cache
                    var putP99 = await bridge.BareQueuePutP99Async(n, Concurrency);
                    var (accept, latency) = await bridge.AcceptAsync(size, n, Concurrency);
                    var deliver = await bridge.DeliverAllAsync();
                    var label = compress ? "on" : "off";
                    report.AppendLine(CultureInfo.InvariantCulture,
                        $"| {BenchOptions.FormatSize(size)} | {label} | accept | {accept.CpuMs:0.00} | {accept.JitMs:0.00} | {accept.AllocatedKiB:0} | {accept.Requests:0.00} | {latency.Percentile(50):0.0} | {latency.Percentile(99):0.0} | {putP99:0.0} | {latency.Percentile(99) / putP99:0.0} |");
                    report.AppendLine(CultureInfo.InvariantCulture,
                        $"| {BenchOptions.FormatSize(size)} | {label} | deliver | {deliver.CpuMs:0.00} | {deliver.JitMs:0.00} | {deliver.AllocatedKiB:0} | {deliver.Requests:0.00} | | | | |");
                    Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} bench: stage cost {BenchOptions.FormatSize(size)}, compression {label} done");
                }
            }
        }
        finally
        {
            sink.Kill();
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Load average at the end: {Load()}");
        Console.WriteLine(report);
        return 0;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    /// <summary>What one stage cost per message; <paramref name="JitMs"/> is the part of the CPU the JIT spent compiling.</summary>
    private sealed record StageFigures(double CpuMs, double JitMs, double AllocatedKiB, double Requests);

    /// <summary>Bridge's core services over the given storage and SMTP port, counting requests on its own clients.</summary>
    private sealed class InProcessBridge(ServiceProvider services, Azurite azurite, string storage, ConcurrentDictionary<string, long> counts) : IAsyncDisposable
    {
        private readonly QueueClient uncounted = new(azurite.ConnectionString, services.GetRequiredService<IOptions<QueueOptions>>().Value.Name,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

        public static async Task<InProcessBridge> StartAsync(Azurite azurite, string storage, int smtpPort, bool compress)
        {
            var counts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = storage,
                ["Bridge:Queue:CompressInline"] = compress ? "true" : "false",
                ["Bridge:Smtp:Profiles:default:Host"] = "127.0.0.1",
                ["Bridge:Smtp:Profiles:default:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
                ["Bridge:Smtp:Profiles:default:Security"] = "None",
                ["Bridge:ApiKeys:bench:Sha256"] = ApiKeyAuthenticator.HashKey(Key),
                ["Bridge:ApiKeys:bench:Scopes"] = "send,read",
                ["Bridge:ApiKeys:bench:RequestsPerSecond"] = "0",
            }).Build();
            var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton<IConfiguration>(configuration)
                .AddSingleton(StorageClients.FromConfiguration(configuration, options =>
                    options.AddPolicy(new Counter(counts), HttpPipelinePosition.PerRetry)))
                .AddBridgeCore(configuration)
                .BuildServiceProvider();
            foreach (var hosted in services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }

            return new InProcessBridge(services, azurite, storage, counts);
        }

        /// <summary>
        /// Accepts and delivers rounds of <paramref name="messages"/> until a round's JIT time is under 0.05 ms per message
        /// (8 rounds at most; the first row's rounds take about 2,000 messages): tiered compilation keeps recompiling hot methods for a while, a one-off cost that is not what
        /// a message costs a running host.
        /// </summary>
        public async Task WarmAsync(int size, int messages, int concurrency)
        {
            for (var round = 0; round < 8; round++)
            {
                var (accept, _) = await AcceptAsync(size, messages, concurrency);
                var deliver = await DeliverAllAsync();
                if (accept.JitMs + deliver.JitMs < 0.05)
                {
                    return;
                }
            }
        }

        /// <summary>Posts <paramref name="messages"/> text mails of <paramref name="size"/> through the send endpoint.</summary>
        public async Task<(StageFigures Figures, Latencies Latency)> AcceptAsync(int size, int messages, int concurrency)
        {
            var body = MessageFactory.TextRequest("default", size);
            var endpoint = services.GetRequiredService<SendEndpoint>();
            var latency = new Latencies();
            var figures = await MeasureAsync(messages, () => Parallel.ForEachAsync(Enumerable.Range(0, messages),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, token) =>
                {
                    var context = new DefaultHttpContext { RequestServices = services };
                    context.Request.Headers.Authorization = "Bearer " + Key;
                    context.Request.ContentType = "application/json";
                    context.Request.ContentLength = body.Length;
                    context.Request.Body = new MemoryStream(body, writable: false);
                    var begin = Stopwatch.GetTimestamp();
                    var result = await endpoint.HandleAsync(context.Request, token);
                    latency.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                    if (result is not IStatusCodeHttpResult { StatusCode: 202 })
                    {
                        throw new InvalidOperationException($"Not accepted: {result}");
                    }
                }));
            return (figures, latency);
        }

        /// <summary>Delivers every queued message through the worker, 8 at a time; the queue is read by an uncounted client.</summary>
        public Task<StageFigures> DeliverAllAsync()
        {
            var worker = services.GetRequiredService<DeliveryWorker>();
            var delivered = 0;
            return MeasureAsync(() => delivered, async () =>
            {
                while ((await uncounted.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
                {
                    await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (message, token) =>
                    {
                        await worker.DeliverAsync(message.Body.ToString(), token);
                        await uncounted.DeleteMessageAsync(message.MessageId, message.PopReceipt, token);
                    });
                    Interlocked.Add(ref delivered, batch.Length);
                }
            });
        }

        /// <summary>p99 of a bare put of a 1 KiB message on a queue of its own, at the same concurrency.</summary>
        public async Task<double> BareQueuePutP99Async(int messages, int concurrency)
        {
            var queue = new QueueClient(storage, "bare-put");
            await queue.CreateIfNotExistsAsync();
            var text = new string('q', 1024);
            var latency = new Latencies();
            await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, token) =>
            {
                var begin = Stopwatch.GetTimestamp();
                await queue.SendMessageAsync(text, token);
                latency.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            });
            await queue.DeleteAsync();
            return latency.Percentile(99);
        }

        private Task<StageFigures> MeasureAsync(int messages, Func<Task> stage) => MeasureAsync(() => messages, stage);

        private async Task<StageFigures> MeasureAsync(Func<int> messages, Func<Task> stage)
        {
            counts.Clear();
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var jit = System.Runtime.JitInfo.GetCompilationTime();
            await stage();
            var jitAfter = System.Runtime.JitInfo.GetCompilationTime();
            var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var n = Math.Max(1, messages());
            return new StageFigures((process.TotalProcessorTime - cpu).TotalMilliseconds / n, (jitAfter - jit).TotalMilliseconds / n,
                (allocatedAfter - allocated) / 1024.0 / n,
                counts.Values.Sum() / (double)n);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var hosted in services.GetServices<IHostedService>())
            {
                await hosted.StopAsync(CancellationToken.None);
            }

            await services.DisposeAsync();
        }
    }

    /// <summary>Counts every request Bridge's own storage clients send (per retry).</summary>
    private sealed class Counter(ConcurrentDictionary<string, long> counts) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            counts.AddOrUpdate(message.Request.Method.Method, 1, (_, n) => n + 1);
    }
}
