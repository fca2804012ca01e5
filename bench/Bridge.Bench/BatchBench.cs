using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bridge.Core;
using Bridge.Core.Auth;
using Bridge.Core.Diagnostics;
using Bridge.Core.Housekeeping;
using Bridge.Core.Messages;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Bench;

/// <summary>
/// <c>bench batch</c>: what accepting N messages costs in storage round trips and time, as one batch against N single
/// sends, with and without an idempotency key. Runs Bridge.Core's own submission services in this process against
/// Azurite, with Bridge's request counter on its storage clients; no queue worker runs, so every request counted is
/// accept's. Each case runs <c>--rounds</c> times; the report gives the median time.
/// </summary>
public static class BatchBench
{
    public const string Command = "batch";

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = IntOption(args, "--messages", 500);
        var concurrency = IntOption(args, "--concurrency", 16);
        var rounds = IntOption(args, "--rounds", 3);
        Log("starting Azurite");
        await using var azurite = await Azurite.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Bridge:Diagnostics:Metrics"] = "true",
            ["Bridge:Smtp:Profiles:default:Host"] = "smtp.example.org",
        }).Build();
        await using var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IConfiguration>(configuration).AddBridgeCore(configuration).BuildServiceProvider();
        await ActivatorUtilities.CreateInstance<StorageInitializer>(services).EnsureCreatedAsync(CancellationToken.None);
        var counts = services.GetRequiredService<StorageRequestCounter>().Counts;
        var single = services.GetRequiredService<MessageSubmission>();
        var batch = services.GetRequiredService<BatchSubmission>();
        var caller = new ApiCaller("bench", new HashSet<string> { ApiScope.Send }, [], []);
        var requests = Enumerable.Range(0, messages).Select(i => new SendRequest
        {
            From = AddressInput.FromText("orders@shop.example"),
            To = [AddressInput.FromText($"customer{i}@example.org")],
            Subject = $"Order {i} shipped",
            Text = new string('x', 1024),
        }).ToList();

        // Warm-up: JIT, connections, the tables' first rows.
        await batch.SubmitAsync(caller, requests.Take(50).ToList(), null, CancellationToken.None);
        await Parallel.ForEachAsync(requests.Take(50), (r, ct) => new ValueTask(single.SubmitAsync(caller, r, null, ct)));

        var rows = new List<string>();
        foreach (var keyed in new[] { false, true })
        {
            rows.Add(await MeasureAsync($"{messages} single sends (concurrency {concurrency})", keyed, rounds, messages, counts, async () =>
                await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (r, ct) =>
                    Accepted(await single.SubmitAsync(caller, r, keyed ? Key() : null, ct)))));
            rows.Add(await MeasureAsync($"1 batch of {messages}", keyed, rounds, messages, counts, async () =>
            {
                var outcome = await batch.SubmitAsync(caller, requests, keyed ? Key() : null, CancellationToken.None);
                foreach (var item in outcome.Items!)
                {
                    Accepted(item.Result);
                }
            }));
        }

        var counterRows = new List<string>();
        foreach (var instances in new[] { 1, 2, 4 })
        {
            counterRows.Add(await MeasureCounterAsync(services.GetRequiredService<Bridge.Core.Storage.StorageClients>(), counts, instances, concurrency, messages));
        }

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Accept cost, {messages} messages of 1 KiB, Azurite, median of {rounds} rounds")
            .AppendLine("| case | idempotency key | storage requests | per message | by operation | time (ms) | messages/s |")
            .AppendLine("|---|---|---:|---:|---|---:|---:|");
        rows.ForEach(r => report.AppendLine(r));
        report.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"One upstream quota counter (one Table row), {messages} increments from {concurrency} concurrent senders split over N instances")
            .AppendLine("| instances | storage requests | per increment | time (ms) | increments/s |")
            .AppendLine("|---:|---:|---:|---:|---:|");
        counterRows.ForEach(r => report.AppendLine(r));
        Console.WriteLine(report);
        return 0;
    }

    private static async Task<string> MeasureAsync(string name, bool keyed, int rounds, int messages, StorageRequestCounts counts, Func<Task> run)
    {
        var times = new List<double>();
        IReadOnlyDictionary<string, long> operations = new Dictionary<string, long>();
        long requests = 0;
        for (var round = 0; round < rounds; round++)
        {
            var before = counts.Snapshot();
            var total = counts.Total;
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
            requests = counts.Total - total;
            operations = counts.Snapshot().ToDictionary(o => o.Key, o => o.Value - before.GetValueOrDefault(o.Key)).Where(o => o.Value > 0)
                .ToDictionary();
            Log($"{name}, key {keyed}: {requests} storage requests, {watch.Elapsed.TotalMilliseconds:F0} ms");
        }

        var median = times.Order().ElementAt(times.Count / 2);
        var breakdown = string.Join(", ", operations.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {(keyed ? "yes" : "no")} | {requests} | {(double)requests / messages:F2} | {breakdown} | {median:F0} | {messages / (median / 1000):F0} |");
    }

    /// <summary>
    /// How fast one quota counter row can be raised when <paramref name="instances"/> instances (each with its own
    /// <see cref="Bridge.Core.Storage.TableCounter"/> and its memory of the row) race for it: what decides whether
    /// upstream quota counters need sharding.
    /// </summary>
    private static async Task<string> MeasureCounterAsync(
        Bridge.Core.Storage.StorageClients storage, StorageRequestCounts counts, int instances, int concurrency, int increments)
    {
        var counters = Enumerable.Range(0, instances).Select(_ => new Bridge.Core.Storage.TableCounter(storage)).ToList();
        var row = "bench:" + Guid.NewGuid().ToString("N");
        var total = counts.Total;
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, increments, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            if (!await counters[i % instances].TryIncrementAsync("smtp:bench", row, int.MaxValue, ct))
            {
                throw new InvalidOperationException("An unlimited counter refused an increment.");
            }
        });
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var requests = counts.Total - total;
        Log($"counter, {instances} instances: {requests} storage requests, {elapsed:F0} ms");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {instances} | {requests} | {(double)requests / increments:F2} | {elapsed:F0} | {increments / (elapsed / 1000):F0} |");
    }

    private static IdempotencyKey Key() => new("bench-" + Guid.NewGuid(), Guid.NewGuid().ToString("N"));

    private static void Accepted(SubmissionResult result)
    {
        if (result is not SubmissionResult.Accepted)
        {
            throw new InvalidOperationException($"A bench message was not accepted: {result}");
        }
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Log(string text) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} bench batch: {text}");
}
