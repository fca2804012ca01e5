using Azure.Storage.Blobs;
using Bridge.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Outbox;

/// <summary>Removes payloads (and kept poisoned envelopes) older than the retention: the job both hosts run on a timer.</summary>
public sealed partial class PayloadSweeper(
    StorageClients storage, IOptions<PayloadRetentionOptions> options, TimeProvider time, ILogger<PayloadSweeper> logger)
{
    /// <summary>How often the hosts run the sweep.</summary>
    public const string Schedule = "0 17 * * * *";

    private readonly BlobContainerClient container = storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        var removed = 0;
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (blob.Properties.LastModified < cutoff)
            {
                await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }

        LogSwept(logger, removed, options.Value.Retention);
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payload sweep removed {Count} blobs older than {Retention}")]
    private static partial void LogSwept(ILogger logger, int count, TimeSpan retention);
}
