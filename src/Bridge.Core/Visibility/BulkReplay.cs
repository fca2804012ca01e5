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
    public async Task<ReplaySummary> ReplayAsync(ApiCaller admin, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var replayed = 0;
        var skipped = new List<ReplaySkip>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var result = await replay.ReplayAsync(id, cancellationToken).ConfigureAwait(false);
            if (result == ReplayResult.Replayed)
            {
                replayed++;
            }
            else
            {
                skipped.Add(new ReplaySkip(id, Reason(result)));
            }
        }

        return new ReplaySummary(replayed, skipped, More: false);
    }

    public async Task<ReplaySummary> ReplayWindowAsync(
        ApiCaller admin, IReadOnlyList<MessageStatus> statuses, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var more = false;
        foreach (var status in statuses)
        {
            var query = new MessageQuery { Status = status, Since = since, Until = until, Limit = MessageQuery.MaxLimit };
            do
            {
                var page = await listing.ListAsync(admin, query, cancellationToken).ConfigureAwait(false);
                found.AddRange(page.Items.Select(i => i.Id));
                query = query with { Start = page.Next is { } next ? MessageQuery.DecodeCursor(next)! : "" };
                more = page.Next is not null && found.Count >= ReplayRequest.MaxMessages;
                if (page.Next is null || more)
                {
                    break;
                }
            }
            while (true);

            if (more)
            {
                break;
            }
        }

        var summary = await ReplayAsync(admin, found.Take(ReplayRequest.MaxMessages).ToList(), cancellationToken).ConfigureAwait(false);
        return summary with { More = more || found.Count > ReplayRequest.MaxMessages };
    }

    private static string Reason(ReplayResult result) => result switch
    {
        ReplayResult.NotFound => "not-found",
        ReplayResult.NotReplayable => "not-replayable",
        _ => "envelope-missing",
    };
}
