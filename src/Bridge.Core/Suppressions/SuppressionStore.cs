using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Bridge.Core.Storage;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Suppressions;

/// <summary>
/// The <c>suppressions</c> table: one partition per API key, one row per address (see <see cref="SuppressedAddress"/>).
/// An expired row is treated as absent; it stays until it is deleted or suppressed again. Whether a key has any row at
/// all is remembered for <see cref="SuppressionOptions.AbsenceCache"/>, so a key without suppressions costs a delivery no
/// lookup.
/// </summary>
public sealed class SuppressionStore(StorageClients storage, IOptions<SuppressionOptions> options, TimeProvider time)
{
    /// <summary>Addresses per query: keeps the filter (in the request's URL) well inside its limits.</summary>
    private const int AddressesPerQuery = 20;

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.SuppressionsTable);

    /// <summary>Per key's partition: whether it had any row when last asked, and until when that answer is trusted.</summary>
    private readonly ConcurrentDictionary<string, KeyPresence> presence = new(StringComparer.Ordinal);

    /// <summary>Which of <paramref name="recipients"/> (as given) the key may not send to now.</summary>
    public async Task<IReadOnlyList<Suppression>> FindAsync(string owner, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var partition = SuppressedAddress.OwnerKey(owner);
        var now = time.GetUtcNow();
        if (!await MayHaveAnyAsync(partition, now, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var keys = recipients.Select(SuppressedAddress.Normalize).OfType<string>().Select(SuppressedAddress.ToKey).Distinct(StringComparer.Ordinal).ToList();
        var found = new List<Suppression>();
        foreach (var chunk in keys.Chunk(AddressesPerQuery))
        {
            var rows = string.Join(" or ", chunk.Select(k => TableClient.CreateQueryFilter($"RowKey eq {k}")));
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + $" and ({rows})";
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (FromEntity(entity) is { } suppression && suppression.IsActiveAt(now))
                {
                    found.Add(suppression);
                }
            }
        }

        return found;
    }

    /// <summary>Suppresses (or suppresses again, renewing its expiry) one address for a key.</summary>
    public async Task<Suppression> AddAsync(
        string owner, string email, string reason, string? status, string? diagnostic, string? messageId, CancellationToken cancellationToken)
    {
        var normalized = SuppressedAddress.Normalize(email) ?? throw new ArgumentException("Not an address.", nameof(email));
        var now = time.GetUtcNow();
        var suppression = new Suppression(owner, normalized, reason, now, now + options.Value.Lifetime, status, Truncate(diagnostic), messageId);
        await table.UpsertEntityAsync(ToEntity(suppression), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        // Counts at once here; a probe of this key that started before the write cannot overwrite it (see MayHaveAnyAsync).
        presence[SuppressedAddress.OwnerKey(owner)] = new KeyPresence(true, now + options.Value.AbsenceCache);
        return suppression;
    }

    /// <summary>
    /// False when the key is known to have no suppression row (asked within <see cref="SuppressionOptions.AbsenceCache"/>);
    /// otherwise true, after asking storage for one row of the key when the last answer is too old. An expired row
    /// counts as one: the lookup then decides.
    /// </summary>
    private async Task<bool> MayHaveAnyAsync(string partition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var trusted = options.Value.AbsenceCache;
        if (trusted <= TimeSpan.Zero)
        {
            return true;
        }

        presence.TryGetValue(partition, out var known);
        if (known is not null && now < known.Until)
        {
            return known.Any;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var any = false;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken)
                           .AsPages(pageSizeHint: 1).ConfigureAwait(false))
        {
            // An empty first page that goes on (storage may page early) proves nothing: then the lookup decides.
            any = page.Values.Count > 0 || page.ContinuationToken is not null;
            break;
        }

        // Only over the answer this probe started from: a suppression added meanwhile (AddAsync) stays counted.
        var answer = new KeyPresence(any, now + trusted);
        _ = known is null ? presence.TryAdd(partition, answer) : presence.TryUpdate(partition, answer, known);
        return any;
    }

    /// <summary>Whether a key had any suppression row when asked, and until when that is trusted.</summary>
    private sealed record KeyPresence(bool Any, DateTimeOffset Until);

    /// <summary>Removes the address for one key; false when it was not suppressed.</summary>
    public async Task<bool> RemoveAsync(string owner, string email, CancellationToken cancellationToken)
    {
        var normalized = SuppressedAddress.Normalize(email) ?? throw new ArgumentException("Not an address.", nameof(email));
        try
        {
            var response = await table.DeleteEntityAsync(SuppressedAddress.OwnerKey(owner), SuppressedAddress.ToKey(normalized), ETag.All, cancellationToken)
                .ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Suppressions still in force, of one key or (null) all, optionally for one address only.</summary>
    public async Task<IReadOnlyList<Suppression>> ListAsync(string? owner, string? email, int limit, CancellationToken cancellationToken)
    {
        var filters = new List<string>();
        if (owner is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {SuppressedAddress.OwnerKey(owner)}"));
        }

        if (email is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"RowKey eq {SuppressedAddress.ToKey(email)}"));
        }

        var now = time.GetUtcNow();
        var found = new List<Suppression>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filters.Count == 0 ? null : string.Join(" and ", filters), cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            if (FromEntity(entity) is { } suppression && suppression.IsActiveAt(now))
            {
                found.Add(suppression);
                if (found.Count == limit)
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>A diagnostic is the remote server's text: keep enough to read, not what a hostile server could fill.</summary>
    private static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;

    private static TableEntity ToEntity(Suppression s) => new(SuppressedAddress.OwnerKey(s.Key), SuppressedAddress.ToKey(s.Email))
    {
        ["Key"] = s.Key,
        ["Reason"] = s.Reason,
        ["CreatedAt"] = s.CreatedAt,
        ["ExpiresAt"] = s.ExpiresAt,
        ["Status"] = s.Status,
        ["Diagnostic"] = s.Diagnostic,
        ["MessageId"] = s.MessageId,
    };

    private static Suppression? FromEntity(TableEntity e) => e.GetString("Key") is { } key
        ? new Suppression(key, SuppressedAddress.FromKey(e.RowKey), e.GetString("Reason") ?? Suppression.Manual,
            e.GetDateTimeOffset("CreatedAt") ?? default, e.GetDateTimeOffset("ExpiresAt"), e.GetString("Status"), e.GetString("Diagnostic"),
            e.GetString("MessageId"))
        : null;
}
