using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using Bridge.Core;
using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Messages;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bridge.Bench;

/// <summary>
/// <c>telemetry-overhead</c>: Bridge's accept and delivery path in process (MessageSubmission, then DeliveryWorker
/// over Azurite and an in-process SMTP server), with the exporters off and with OTLP on (to an OTLP/HTTP
/// receiver in this process), alternating rounds so drift in a busy machine's speed hits both alike.
/// </summary>
public static class TelemetryOverhead
{
    public const string Usage = """
        Bridge.Bench telemetry-overhead: messages per second on Bridge's accept and delivery path with the
        OpenTelemetry exporters off and on (OTLP over HTTP to a receiver in this process).

          --messages N      messages per round and mode (default 500)
          --concurrency C   concurrent accepts and deliveries (default 8)
          --rounds R        rounds; each runs off then on (default 3)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int messages = 500, concurrency = 8, rounds = 3;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--messages": messages = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine($"Unknown option {args[i]}.\n{Usage}"); return 2;
            }
        }

        await using var azurite = await Azurite.StartAsync();
        await using var smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain);
        await using var otlp = OtlpReceiver.Start();
        Console.WriteLine($"telemetry-overhead: {messages} messages x {rounds} rounds per mode, concurrency {concurrency}, load average {LoadAverage()}");
        Console.WriteLine("mode      round  accept msg/s  deliver msg/s  end-to-end msg/s  CPU ms/msg  KiB allocated/msg");
        // One unmeasured round per mode first: JIT, connection pools and the secret cache, as the main bench's warm-up.
        foreach (var on in new[] { false, true })
        {
            await RoundAsync(azurite, smtp, on ? otlp : null, $"warmup-{(on ? "on" : "off")}", Math.Min(messages, 100), concurrency);
        }

        var results = new List<(bool On, RoundResult Result)>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var on in new[] { false, true })
            {
                var result = await RoundAsync(azurite, smtp, on ? otlp : null, $"overhead-{round}-{(on ? "on" : "off")}", messages, concurrency);
                results.Add((on, result));
                Console.WriteLine($"{(on ? "otlp on" : "off"),-9} {round,5}  {result.Accept,12:F0}  {result.Deliver,13:F0}  {result.Total,16:F0}  {result.CpuMs,10:F2}  {result.AllocatedKiB,17:F1}");
            }
        }

        foreach (var on in new[] { false, true })
        {
            var mode = results.Where(r => r.On == on).Select(r => r.Result).ToList();
            Console.WriteLine($"{(on ? "otlp on" : "off"),-9} median {Median(mode.Select(r => r.Accept)),11:F0}  {Median(mode.Select(r => r.Deliver)),13:F0}  " +
                              $"{Median(mode.Select(r => r.Total)),16:F0}  {Median(mode.Select(r => r.CpuMs)),10:F2}  {Median(mode.Select(r => r.AllocatedKiB)),17:F1}");
        }

        Console.WriteLine($"OTLP requests received: {otlp.Bodies("/v1/traces").Count} trace, {otlp.Bodies("/v1/metrics").Count} metric; load average {LoadAverage()}");
        return 0;
    }

    /// <summary>Rates, and this process's CPU time and allocations per message (Bridge and the SMTP peer; Azurite runs apart).</summary>
    private sealed record RoundResult(double Accept, double Deliver, double Total, double CpuMs, double AllocatedKiB);

    private static async Task<RoundResult> RoundAsync(
        Azurite azurite, TestSmtpServer smtp, OtlpReceiver? otlp, string queueName, int messages, int concurrency)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Bridge:Queue:Name"] = queueName,
            ["Bridge:Smtp:Profiles:default:Host"] = "localhost",
            ["Bridge:Smtp:Profiles:default:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Bridge:Smtp:Profiles:default:Security"] = "None",
        };
        if (otlp is not null)
        {
            settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint.ToString();
            settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddBridgeCore(configuration).BuildServiceProvider();
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var submission = services.GetRequiredService<MessageSubmission>();
        var worker = services.GetRequiredService<DeliveryWorker>();
        var caller = new ApiCaller("bench", new HashSet<string> { ApiScope.Send }, [], []);
        var request = JsonSerializer.Deserialize<SendRequest>(
            """{"from":"bench@shop.example","to":["ann@example.org"],"subject":"overhead","text":"one kilobyte or so of plain text"}""",
            JsonSerializerOptions.Web)!;

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, messages, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, token) =>
        {
            if (await submission.SubmitAsync(caller, request, null, token) is not SubmissionResult.Accepted)
            {
                throw new InvalidOperationException("The bench's message was not accepted.");
            }
        });
        var accepted = Stopwatch.GetElapsedTime(started);

        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var deliverStarted = Stopwatch.GetTimestamp();
        var delivered = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (delivered < messages)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {delivered} of {messages} queue messages arrived within 5 minutes.");
            }

            var batch = (await queue.ReceiveMessagesAsync(32)).Value;
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (message, token) =>
            {
                await worker.DeliverAsync(message.Body.ToString(), token);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, token);
            });
            delivered += batch.Length;
        }

        var deliveredIn = Stopwatch.GetElapsedTime(deliverStarted);
        if (otlp is not null)
        {
            // Exporting is part of the cost: the end-to-end time includes flushing what the batch exporter still holds.
            services.GetRequiredService<TracerProvider>().ForceFlush();
            services.GetRequiredService<MeterProvider>().ForceFlush();
        }

        var total = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        return new RoundResult(
            messages / accepted.TotalSeconds, messages / deliveredIn.TotalSeconds, messages / total.TotalSeconds,
            (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / messages,
            (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / messages);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
