using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Bridge.Functions.Tests;

/// <summary>
/// Makes chosen storage requests fail as if storage did not answer (after the client's own retries), so a
/// test can break one write of a real Azurite at a precise moment. Nothing fails until a test arms it.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    private int tableWritesToFail;

    /// <summary>The next <paramref name="count"/> table transactions (the writes delivery makes) fail with a 503.</summary>
    public void FailTableWrites(int count) => Interlocked.Exchange(ref tableWritesToFail, count);

    /// <summary>Table transactions failed so far.</summary>
    public int Failed { get; private set; }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfArmed(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfArmed(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void ThrowIfArmed(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)
            && Interlocked.Decrement(ref tableWritesToFail) >= 0)
        {
            Failed++;
            throw new RequestFailedException(503, "Injected: storage did not answer.");
        }
    }
}
