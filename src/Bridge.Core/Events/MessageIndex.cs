using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Bridge.Core.Storage;

namespace Bridge.Core.Events;

/// <summary>
/// The message index (table <c>messageindex</c>): one row per message, partitioned by the key that sent it
/// and keyed by inverted acceptance time, so one key's messages read newest first as a range of one
/// partition, and a time window is a row-key range. Accept writes the row beside the message's facts (one
/// more write); each status change merges the new status into it, so the list shows and filters on the
/// status without reading every message.
/// </summary>
public sealed class MessageIndex(StorageClients storage)
{
    /// <summary>Rows one storage request returns at most (Table storage's own page limit).</summary>
    public const int RowsPerRequest = 1000;

    private const int TicksDigits = 19;

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.MessageIndexTable);

    /// <summary>The partition of a key's messages: key names compare ignoring case.</summary>
    public static string PartitionOf(string owner) => owner.ToLowerInvariant();

    /// <summary>Newest first: later messages get smaller keys. Fixed width, so keys compare as numbers.</summary>
    public static string RowKey(DateTimeOffset createdAt, string id) => TimeKey(createdAt) + ":" + id;

    /// <summary>The row-key prefix of a moment: every message accepted then starts with it.</summary>
    public static string TimeKey(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D" + TicksDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A row key as written by <see cref="RowKey"/>: 19 digits, a colon, a message id.</summary>
    public static bool IsRowKey(string key) =>
        key.Length == TicksDigits + 1 + 32 && key[TicksDigits] == ':'
        && key.AsSpan(0, TicksDigits).ContainsAnyExcept(Digits) is false
        && key.AsSpan(TicksDigits + 1).ContainsAnyExcept(HexDigits) is false;

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// Writes the message's index row. A row already there was written by its delivery (which can run before
    /// accept's writes land) or by an earlier try of this accept: its facts are filled in, its status kept.
    /// </summary>
    public async Task AddAsync(MessageRecord message, CancellationToken cancellationToken)
    {
        var entity = Row(message);
        try
        {
            await table.AddEntityAsync(WithState(new TableEntity(entity), message.State), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes many messages' index rows (a batch's): a table transaction for up to 100 of one key's messages. A group
    /// refused because a row is there already (its delivery ran first, or the batch is retried) is written one by one.
    /// </summary>
    public async Task AddManyAsync(IReadOnlyList<MessageRecord> messages, CancellationToken cancellationToken)
    {
        foreach (var group in messages.GroupBy(m => PartitionOf(m.Owner)).SelectMany(p => p.Chunk(MessageStore.MaxEntitiesPerTransaction)))
        {
            try
            {
                await table.SubmitTransactionAsync(
                    group.Select(m => new TableTransactionAction(TableTransactionActionType.Add, WithState(Row(m), m.State))), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                foreach (var message in group)
                {
                    await AddAsync(message, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static TableEntity Row(MessageRecord message) => new(PartitionOf(message.Owner), RowKey(message.CreatedAt, message.Id))
        {
            ["Id"] = message.Id,
            ["Owner"] = message.Owner,
            ["CreatedAt"] = message.CreatedAt,
            ["From"] = message.From,
            ["FromAddress"] = AddressText.Bare(message.From),
            ["To"] = JsonSerializer.Serialize(message.To),
            ["ToAddresses"] = JsonSerializer.Serialize(message.To.Select(AddressText.Bare)),
            ["Subject"] = message.Subject,
            ["Profile"] = message.Profile,
            ["Tags"] = JsonSerializer.Serialize(message.Tags),
        };

    /// <summary>Merges the message's status into its index row (creating a partial row if accept's write is yet to land).</summary>
    public async Task SetStatusAsync(string owner, DateTimeOffset createdAt, DeliveryState state, CancellationToken cancellationToken)
    {
        var entity = WithState(new TableEntity(PartitionOf(owner), RowKey(createdAt, state.Id)) { ["Id"] = state.Id }, state);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one partition from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive),
    /// keeping the entries <paramref name="match"/> accepts, until <paramref name="limit"/> are kept, the range
    /// ends, or <paramref name="maxRequests"/> requests of <paramref name="perRequest"/> rows were made.
    /// </summary>
    public async Task<IndexScan> ScanAsync(
        string owner, string start, string end, Func<IndexEntry, bool> match, int limit, int perRequest, int maxRequests,
        CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(owner)} and RowKey ge {start} and RowKey lt {end}");
        var kept = new List<IndexEntry>();
        var requests = 0;
        string? lastRead = null;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, perRequest, cancellationToken: cancellationToken)
                           .AsPages().ConfigureAwait(false))
        {
            requests++;
            foreach (var row in page.Values)
            {
                lastRead = row.RowKey;
                var entry = EntryOf(row);
                if (match(entry))
                {
                    kept.Add(entry);
                    if (kept.Count == limit)
                    {
                        return new IndexScan(kept, Frontier: null, requests);
                    }
                }
            }

            if (page.ContinuationToken is null)
            {
                return new IndexScan(kept, Frontier: null, requests);
            }

            // Out of budget: everything up to here was read; the rest is for the next page. (A frontier must be a
            // row read, so a budget spent on empty answers, which storage may give, reads on until it finds one.)
            if (requests >= maxRequests && lastRead is not null)
            {
                return new IndexScan(kept, lastRead, requests);
            }
        }

        return new IndexScan(kept, Frontier: null, requests);
    }

    /// <summary>Counts one partition's messages by status from <paramref name="since"/> on: the status column only.</summary>
    public async Task<Dictionary<MessageStatus, int>> CountAsync(string owner, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<MessageStatus, int>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(owner)} and RowKey lt {TimeKey(since) + ";"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, RowsPerRequest, ["Status"], cancellationToken).ConfigureAwait(false))
        {
            var status = StatusOf(row);
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        return counts;
    }

    private static TableEntity WithState(TableEntity entity, DeliveryState state)
    {
        entity["Status"] = state.Status.ToWire();
        entity["UpdatedAt"] = state.UpdatedAt;
        entity["Attempts"] = state.Attempts;
        return entity;
    }

    private static MessageStatus StatusOf(TableEntity row) =>
        Enum.TryParse<MessageStatus>(row.GetString("Status"), ignoreCase: true, out var status) ? status : MessageStatus.Queued;

    private static IndexEntry EntryOf(TableEntity row) => new(
        row.RowKey,
        row.GetString("Id") ?? "",
        row.GetString("Owner") ?? row.PartitionKey,
        StatusOf(row),
        row.GetDateTimeOffset("CreatedAt") ?? default,
        row.GetDateTimeOffset("UpdatedAt") ?? row.GetDateTimeOffset("CreatedAt") ?? default,
        row.GetString("From") ?? "",
        row.GetString("FromAddress") ?? "",
        JsonSerializer.Deserialize<string[]>(row.GetString("To") ?? "[]") ?? [],
        JsonSerializer.Deserialize<string[]>(row.GetString("ToAddresses") ?? "[]") ?? [],
        row.GetString("Subject") ?? "",
        row.GetString("Profile") ?? "",
        JsonSerializer.Deserialize<string[]>(row.GetString("Tags") ?? "[]") ?? [],
        row.GetInt32("Attempts") ?? 0);
}

/// <summary>One message as the index holds it.</summary>
public sealed record IndexEntry(
    string RowKey,
    string Id,
    string Owner,
    MessageStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string From,
    string FromAddress,
    IReadOnlyList<string> To,
    IReadOnlyList<string> ToAddresses,
    string Subject,
    string Profile,
    IReadOnlyList<string> Tags,
    int Attempts);

/// <summary>
/// What one partition scan found. <see cref="Frontier"/> is the last row key read when the request budget ran
/// out before the range or the page did (null otherwise): rows after it are unread.
/// </summary>
public sealed record IndexScan(IReadOnlyList<IndexEntry> Entries, string? Frontier, int Requests);
