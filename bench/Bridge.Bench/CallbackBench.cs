using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Queues;
using Bridge.Core;
using Bridge.Core.Auth;
using Bridge.Core.Callbacks;
using Bridge.Core.Diagnostics;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bridge.Bench;

/// <summary>
/// <c>callbacks [--callbacks N] [--parallel P]</c>: callbacks per second from the <c>callbacks</c> queue to a local receiver
/// (Kestrel in this process, checking every signature), through Bridge's own <see cref="CallbackWorker"/>, and the storage
/// requests each costs on Bridge's own clients: queuing it where the event is written, and the worker's reads and writes.
/// The queue is drained as the trigger would (receive 32, run, delete) by an uncounted client, in P concurrent workers.
/// </summary>
public static class CallbackBench
{
    public const string Command = "callbacks";
    public const string Usage = "Usage: Bridge.Bench callbacks [--callbacks <n, default 2000>] [--parallel <p, default 16>]";
    private const string Owner = "bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var (callbacks, parallel) = (2000, 16);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            _ = args[i] switch
            {
                "--callbacks" => callbacks = int.Parse(args[i + 1], CultureInfo.InvariantCulture),
                "--parallel" => parallel = int.Parse(args[i + 1], CultureInfo.InvariantCulture),
                _ => throw new ArgumentException(Usage),
            };
        }

        Console.WriteLine(await MeasureAsync(callbacks, parallel));
        return 0;
    }

    private static async Task<string> MeasureAsync(int callbacks, int parallel)
    {
        var secret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var azurite = await Azurite.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync(secret);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Bridge:Smtp:Profiles:default:Host"] = "localhost",
            ["Bridge:ApiKeys:bench:Sha256"] = ApiKeyAuthenticator.HashKey("bench-key-000001"),
            ["Bridge:ApiKeys:bench:Scopes"] = "send,read",
            ["Bridge:ApiKeys:bench:CallbackUrl"] = receiver.Url("/ok").ToString(),
            ["Bridge:ApiKeys:bench:CallbackSecret"] = "BenchCallbacks",
            ["Bridge:Secrets:BenchCallbacks"] = secret,
            ["Bridge:Callbacks:AllowPrivateNetworks"] = "true",
            ["Bridge:Diagnostics:Metrics"] = "true", // Bridge's own storage clients count their requests
        }).Build();
        await using var services = await BenchServices.StartAsync(configuration);

        // Messages to call back about, accepted as the API accepts them (not counted).
        var caller = new ApiCaller(Owner, new HashSet<string> { ApiScope.Send, ApiScope.Read }, [], []);
        var submission = services.GetRequiredService<MessageSubmission>();
        var ids = new string[callbacks];
        await Parallel.ForAsync(0, callbacks, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
            ids[i] = ((SubmissionResult.Accepted)await submission.SubmitAsync(caller, Request(i), null, token)).Id);
        var counts = services.GetRequiredService<StorageRequestCounter>().Counts;

        // Queuing: what the timeline write adds for a key with a callback URL (one sent event per message).
        var enqueuer = services.GetServices<ITimelineObserver>().OfType<CallbackEnqueuer>().Single();
        var before = counts.Snapshot();
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForAsync(0, callbacks, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
            await enqueuer.RecordedAsync(
                new DeliveryState { Id = ids[i], Status = MessageStatus.Sent, UpdatedAt = now, Owner = Owner, EventCount = 2 },
                [new MessageEvent(MessageEventType.Sent, now, new SmtpReply(250, "2.0.0 Ok: queued"))], token));
        var queued = Delta(before, counts.Snapshot());

        // Draining: the worker's own requests, counted; the trigger's receive and delete are not Bridge's code.
        var worker = services.GetRequiredService<CallbackWorker>();
        var queue = new QueueClient(azurite.ConnectionString, StorageNames.CallbacksQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        before = counts.Snapshot();
        var clock = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForAsync(0, parallel, async (_, token) =>
        {
            while (Volatile.Read(ref done) < callbacks)
            {
                var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), token)).Value;
                foreach (var message in batch)
                {
                    await worker.HandleAsync(message.Body.ToString(), token);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, token);
                    Interlocked.Increment(ref done);
                }

                if (batch.Length == 0 && Volatile.Read(ref done) < callbacks)
                {
                    await Task.Delay(10, token);
                }
            }
        });
        var elapsed = clock.Elapsed;
        var drained = Delta(before, counts.Snapshot());
        var verified = receiver.Received.Count(r => r.SignatureValid);

        return string.Join(Environment.NewLine,
            $"Callbacks: {callbacks} sent events, Azurite, receiver in process (Kestrel, every signature checked), {parallel} workers.",
            $"  delivered: {callbacks / elapsed.TotalSeconds:0} callbacks/s ({elapsed.TotalSeconds:0.00} s), {verified} of {receiver.Received.Count} signatures valid",
            $"  queuing, per event:   {PerItem(queued, callbacks)}",
            $"  worker, per callback: {PerItem(drained, callbacks)}",
            "  plus the trigger's own: one receive per batch (up to 32) and one delete per callback");
    }

    private static SendRequest Request(int i) => new()
    {
        From = AddressInput.FromText("orders@shop.example"),
        To = [AddressInput.FromText($"customer{i % 50}@example.org")],
        Subject = $"Order {i}",
        Text = "Thank you for your order.",
    };

    private static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(a => (a.Key, Value: a.Value - before.GetValueOrDefault(a.Key))).Where(a => a.Value > 0).ToDictionary(a => a.Key, a => a.Value);

    private static string PerItem(Dictionary<string, long> counts, int items) =>
        $"{counts.Values.Sum() / (double)items:0.00} requests (" +
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value / (double)items:0.00}")) + ")";
}
