using System.Diagnostics;
using Azure.Storage.Queues;
using Bridge.Core.Outbox;

namespace Bridge.Bench;

/// <summary>
/// Bare queue puts of one size, one at a time with 50 ms between them on a queue of their own, while a phase runs. The storage
/// ceiling's bare put is measured with nothing else running; this one shares the machine with the phase (Azurite, Bridge
/// and the bench on the same cores), so it says how much of an accept's tail latency any storage write would have had.
/// </summary>
public sealed class BarePutProbe : IDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);
    private readonly QueueClient queue;
    private readonly string text;
    private readonly CancellationTokenSource stop = new();
    private readonly Task<Latencies> putting;

    private BarePutProbe(QueueClient queue, int size)
    {
        this.queue = queue;
        // As the storage ceiling's bare put: a message too large to go inline is put as a small pointer to its blob.
        text = new string('p', size <= OutboxQueue.InlineMimeLimitBytes ? size : 256);
        putting = PutAsync();
    }

    public static BarePutProbe Start(string connectionString, int size) => new(new QueueClient(connectionString, "bare-put-alongside"), size);

    /// <summary>Stops putting, empties the probe's queue, and returns the puts' latencies.</summary>
    public async Task<Latencies> StopAsync()
    {
        await stop.CancelAsync();
        var latencies = await putting;
        await queue.ClearMessagesAsync();
        return latencies;
    }

    public void Dispose() => stop.Dispose();

    private async Task<Latencies> PutAsync()
    {
        var latencies = new Latencies();
        await queue.CreateIfNotExistsAsync();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var begin = Stopwatch.GetTimestamp();
                await queue.SendMessageAsync(text, stop.Token);
                latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                await Task.Delay(Pause, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return latencies;
    }
}
