using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Bridge.Core.Storage;

/// <summary>
/// Counters shared by every instance, one Table storage row each, raised only under their ETag so that two instances
/// never both take the last unit. An instance remembers the last value and ETag it saw of each partition's current
/// row, so an uncontended increment is one conditional write, not a read and a write; a stale memory costs a 412 and
/// a read. Within an instance, increments of one partition take turns, so only other instances race for a row.
/// Rows live in the <see cref="StorageNames.QuotasTable"/> table, which the retention sweep empties of old rows.
/// </summary>
public sealed class TableCounter(StorageClients storage)
{
    private const string UsedColumn = "Used";
    private const int MaxRaces = 50;

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.QuotasTable);
    private readonly ConcurrentDictionary<string, Seen> seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> turns = new(StringComparer.Ordinal);

    /// <summary>Raises counter <paramref name="row"/> by one if it is below <paramref name="limit"/>; false when it is not.</summary>
    public async Task<bool> TryIncrementAsync(string partition, string row, int limit, CancellationToken cancellationToken)
    {
        var turn = turns.GetOrAdd(partition, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await IncrementAsync(partition, row, limit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task<bool> IncrementAsync(string partition, string row, int limit, CancellationToken cancellationToken)
    {
        var known = seen.TryGetValue(partition, out var last) && last.Row == row ? last : null;
        for (var race = 0; race < MaxRaces; race++)
        {
            if (known is not null && known.Used >= limit)
            {
                // Counters only grow within their window: full once is full for good.
                return false;
            }

            try
            {
                var entity = new TableEntity(partition, row) { [UsedColumn] = (known?.Used ?? 0) + 1 };
                var response = known is null
                    ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                    : await table.UpdateEntityAsync(entity, known.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                seen[partition] = new Seen(row, (known?.Used ?? 0) + 1, response.Headers.ETag ?? default);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance counted since: read where the counter stands.
                var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, [UsedColumn], cancellationToken).ConfigureAwait(false);
                known = current.HasValue ? new Seen(row, current.Value!.GetInt32(UsedColumn) ?? 0, current.Value.ETag) : null;
                if (known is not null)
                {
                    seen[partition] = known;
                }
            }
        }

        throw new InvalidOperationException($"Counter {partition}/{row} kept changing under {MaxRaces} tries to raise it.");
    }

    private sealed record Seen(string Row, int Used, ETag ETag);
}
