using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Events;

namespace Bridge.Core.Visibility;

/// <summary>
/// Replays many poisoned or failed messages: named by id, or found through the message index by status and
/// time window. Each goes through <see cref="PoisonReplay"/>, which records a <c>replayed</c> event.
/// </summary>
public sealed class BulkReplay(MessageListing listing, PoisonReplay replay)
{
    /// <summary>Replays at most this many messages at a time: each is a few storage round trips.</summary>
    private const int Parallelism = 8;

    public async Task<ReplaySummary> ReplayAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        var results = new ReplayResult[distinct.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, distinct.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await replay.ReplayAsync(distinct[i], token).ConfigureAwait(false)).ConfigureAwait(false);

        var skipped = distinct.Zip(results).Where(r => r.Second != ReplayResult.Replayed).Select(r => new ReplaySkip(r.First, Reason(r.Second))).ToList();
        return new ReplaySummary(distinct.Count - skipped.Count, skipped, More: false);
    }

    /// <summary>
    /// Replays the messages in <paramref name="statuses"/> accepted in the window, newest first, up to
    /// <see cref="ReplayRequest.MaxMessages"/>; <c>More</c> says the window holds more.
    /// </summary>
    public async Task<ReplaySummary> ReplayWindowAsync(
        ApiCaller admin, IReadOnlyList<MessageStatus> statuses, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var status in statuses)
        {
            var query = new MessageQuery { Status = status, Since = since, Until = until, Limit = MessageQuery.MaxLimit };
            while (found.Count <= ReplayRequest.MaxMessages)
            {
                var page = await listing.ListAsync(admin, query, cancellationToken).ConfigureAwait(false);
                found.AddRange(page.Items.Select(i => i.Id));
                if (page.Next is null)
                {
                    break;
                }

                query = query with { Start = MessageQuery.DecodeCursor(page.Next)! };
            }
        }

        var summary = await ReplayAsync(found.Take(ReplayRequest.MaxMessages).ToList(), cancellationToken).ConfigureAwait(false);
        return summary with { More = found.Count > ReplayRequest.MaxMessages };
    }

    private static string Reason(ReplayResult result) => result switch
    {
        ReplayResult.NotFound => "not-found",
        ReplayResult.NotReplayable => "not-replayable",
        _ => "envelope-missing",
    };
}
