using Azure.Storage.Queues;

namespace Bridge.Bench;

/// <summary>
/// The deepest a queue got during a phase, read every 250 ms with a client of its own (so the phase's
/// counted operations do not include it). Azurite's cost per queue operation grows with the messages the
/// queue holds, so this says how far a phase's backlog drove it up.
/// </summary>
public sealed class QueueDepthProbe : IDisposable
{
    private readonly QueueClient queue;
    private readonly CancellationTokenSource stop = new();
    private readonly Task<int> sampling;

    private QueueDepthProbe(QueueClient queue)
    {
        this.queue = queue;
        sampling = SampleAsync();
    }

    public static QueueDepthProbe Start(string connectionString, string queueName) => new(new QueueClient(connectionString, queueName));

    /// <summary>Stops sampling and returns the largest approximate message count seen (visible and invisible).</summary>
    public async Task<int> StopAsync()
    {
        await stop.CancelAsync();
        return await sampling;
    }

    public void Dispose() => stop.Dispose();

    private async Task<int> SampleAsync()
    {
        var deepest = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                deepest = Math.Max(deepest, (await queue.GetPropertiesAsync(stop.Token)).Value.ApproximateMessagesCount);
                await Task.Delay(TimeSpan.FromMilliseconds(250), stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return deepest;
    }
}
