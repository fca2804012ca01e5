using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Bridge.Core.Outbox;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Housekeeping;

/// <summary>
/// The hourly clean-up both hosts run on a timer: payload blobs (and kept poisoned envelopes) past
/// their retention, idempotency keys past their 24-hour window, and daily counters of past days.
/// Finished messages delete their own payloads at once; this removes what nothing else will.
/// </summary>
public sealed partial class RetentionSweeper(
    StorageClients storage, IOptions<PayloadRetentionOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger)
{
    /// <summary>When the hosts run the sweep: hourly, at minute 17.</summary>
    public const string Schedule = "0 17 * * * *";

    /// <summary>Daily counters are kept a little longer than their day, for whoever looks at them.</summary>
    private static readonly TimeSpan QuotaRetention = TimeSpan.FromDays(2);

    private readonly BlobContainerClient payloads = storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var blobs = 0;
        await foreach (var blob in payloads.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            if (RetainedFrom(blob) < now - options.Value.Retention)
            {
                await payloads.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                blobs++;
            }
        }

        var keys = await DeleteRowsOlderThanAsync(StorageNames.IdempotencyTable, now - IdempotencyStore.Window, cancellationToken).ConfigureAwait(false);
        var counters = await DeleteRowsOlderThanAsync(StorageNames.QuotasTable, now - QuotaRetention, cancellationToken).ConfigureAwait(false);
        LogSwept(logger, blobs, keys, counters);
        return new SweepResult(blobs, keys, counters);
    }

    /// <summary>
    /// Where a payload's retention starts: its upload, or for a scheduled message its time, so a payload waiting up to
    /// 7 days for its time is never swept before it is sent.
    /// </summary>
    private static DateTimeOffset? RetainedFrom(BlobItem blob) =>
        blob.Metadata.TryGetValue(OutboxQueue.SendAtMetadata, out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var sendAt)
        && sendAt > blob.Properties.LastModified
            ? sendAt
            : blob.Properties.LastModified;

    private async Task<int> DeleteRowsOlderThanAsync(string tableName, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = storage.Tables.GetTableClient(tableName);
        var deleted = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.Timestamp < cutoff, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
            deleted++;
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep removed {Blobs} payload blobs, {Keys} idempotency keys and {Counters} daily counters")]
    private static partial void LogSwept(ILogger logger, int blobs, int keys, int counters);
}

/// <summary>What one sweep removed.</summary>
public sealed record SweepResult(int Blobs, int IdempotencyKeys, int DailyCounters);
