using Bridge.Core.Auth;
using Bridge.Core.Events;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Visibility;

/// <summary>
/// Lists messages from the <see cref="MessageIndex"/>, newest first. A key reads its own partition; an
/// admin key reads every configured key's partition and merges them. Each partition costs at most
/// <see cref="MaxRequestsPerPartition"/> storage requests per page whatever the table size: a page that
/// runs out of budget comes back short, with a cursor to go on from.
/// </summary>
public sealed class MessageListing(MessageIndex index, IOptions<ApiKeyOptions> keys, TimeProvider time)
{
    /// <summary>Storage requests one page may make per key partition (each reads up to 1,000 rows).</summary>
    public const int MaxRequestsPerPartition = 5;

    /// <summary>Rows per request and requests per partition for one page; smaller in tests, to reach the limits with few rows.</summary>
    internal (int RowsPerRequest, int MaxRequests) Budget { get; init; } = (MessageIndex.RowsPerRequest, MaxRequestsPerPartition);

    public static readonly TimeSpan StatsWindow = TimeSpan.FromHours(24);

    public async Task<MessagePage> ListAsync(ApiCaller caller, MessageQuery query, CancellationToken cancellationToken)
    {
        var (start, end) = (query.RangeStart(), query.RangeEnd());
        if (string.CompareOrdinal(start, end) >= 0)
        {
            return new MessagePage([], Next: null, Requests: 0);
        }

        // Without filters every row read is kept, so a request need not read more rows than the page holds.
        var perRequest = query.Narrows ? Budget.RowsPerRequest : Math.Min(Budget.RowsPerRequest, query.Limit);
        var scans = await Task.WhenAll(OwnersFor(caller).Select(owner => index.ScanAsync(
            owner, start, end, query.Matches, query.Limit, perRequest, Budget.MaxRequests, cancellationToken))).ConfigureAwait(false);

        // A partition that ran out of budget has unread rows after its frontier, which may be newer than other
        // partitions' rows beyond it: the page stops at the earliest frontier so nothing is skipped.
        var cutoff = scans.Select(s => s.Frontier).OfType<string>().Order(StringComparer.Ordinal).FirstOrDefault();
        var items = scans.SelectMany(s => s.Entries)
            .Where(e => cutoff is null || string.CompareOrdinal(e.RowKey, cutoff) <= 0)
            .OrderBy(e => e.RowKey, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
        var full = items.Count == query.Limit;
        var next = full ? items[^1].RowKey : cutoff;
        return new MessagePage(items, next is null ? null : MessageQuery.EncodeCursor(next), scans.Sum(s => s.Requests));
    }

    /// <summary>
    /// How many messages are in each status among those accepted in the last 24 hours. <c>sending</c> is not
    /// among them: the index counts a message being sent under the status it had before the attempt.
    /// </summary>
    public async Task<MessageStats> StatsAsync(ApiCaller caller, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - StatsWindow;
        var counts = await Task.WhenAll(OwnersFor(caller).Select(owner => index.CountAsync(owner, since, cancellationToken))).ConfigureAwait(false);
        var total = Enum.GetValues<MessageStatus>().Where(s => s != MessageStatus.Sending).ToDictionary(
            status => status.ToWire(),
            status => counts.Sum(c => c.GetValueOrDefault(status)));
        return new MessageStats(since, total);
    }

    /// <summary>The keys whose messages the caller sees: its own, or (admin) every configured key.</summary>
    private IEnumerable<string> OwnersFor(ApiCaller caller) =>
        caller.Scopes.Contains(ApiScope.Admin)
            ? keys.Value.Keys.Append(caller.KeyName).Select(MessageIndex.PartitionOf).Distinct(StringComparer.Ordinal)
            : [caller.KeyName];
}

/// <summary>One page of the list: its entries and the cursor of the next page (null at the end).</summary>
public sealed record MessagePage(IReadOnlyList<IndexEntry> Items, string? Next, int Requests);

/// <summary>Messages by status over a recent window.</summary>
public sealed record MessageStats(DateTimeOffset Since, IReadOnlyDictionary<string, int> Counts);
