using Bridge.Core.Auth;
using Bridge.Core.Events;

namespace Bridge.Core.Messages;

/// <summary>
/// Accepts a batch: each item is checked and accepted on its own, so one bad item never blocks the rest, while the
/// storage work is shared. The rate limit and the daily cap are taken for all items at once (each message counts),
/// the records go in table transactions (a batch's messages share a partition, <see cref="MessagePartition"/>), and
/// queue puts and payload uploads run in parallel. An <c>Idempotency-Key</c> covers the whole batch: a duplicate gets
/// the first request's results back, and its item ids are derived from the batch's, so a retry after a crash writes
/// the same messages again instead of new ones.
/// </summary>
public sealed class BatchSubmission(
    MessageSubmission submission, IdempotencyStore idempotency, DailyQuota quota, RequestRateLimiter rateLimiter, TimeProvider time)
{
    public const int MaxItems = 500;

    /// <summary>How many queue puts and payload uploads run at once.</summary>
    private const int Parallelism = 32;

    public async Task<BatchOutcome> SubmitAsync(
        ApiCaller caller, IReadOnlyList<SendRequest> requests, IdempotencyKey? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is null)
        {
            return new BatchOutcome(await SubmitItemsAsync(caller, requests, MessageId.New(), cancellationToken).ConfigureAwait(false), null);
        }

        var claim = await idempotency.ClaimAsync(caller.KeyName, idempotencyKey, cancellationToken).ConfigureAwait(false);
        switch (claim)
        {
            case IdempotencyClaim.Replay replay:
                return new BatchOutcome(Replay(caller, requests, replay), null);
            case IdempotencyClaim.Conflict:
                return new BatchOutcome(null, new SubmissionResult.IdempotencyConflict());
            case IdempotencyClaim.InProgress:
                return new BatchOutcome(null, new SubmissionResult.IdempotencyInProgress());
        }

        var batchId = ((IdempotencyClaim.Fresh)claim).MessageId;
        BatchItem[] items;
        try
        {
            items = await SubmitItemsAsync(caller, requests, batchId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await idempotency.ReleaseAsync(caller.KeyName, idempotencyKey, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (items.Any(i => i.Result is SubmissionResult.Accepted))
        {
            await idempotency.CompleteAsync(caller.KeyName, idempotencyKey, CancellationToken.None, EncodeStatuses(items)).ConfigureAwait(false);
        }
        else
        {
            // Nothing accepted, nothing to remember: the client may fix the items and retry with the same key.
            await idempotency.ReleaseAsync(caller.KeyName, idempotencyKey, CancellationToken.None).ConfigureAwait(false);
        }

        return new BatchOutcome(items, null);
    }

    private async Task<BatchItem[]> SubmitItemsAsync(ApiCaller caller, IReadOnlyList<SendRequest> requests, string batchId, CancellationToken cancellationToken)
    {
        var results = new SubmissionResult?[requests.Count];
        var passed = new List<(int Index, ValidatedMessage Message)>();
        for (var i = 0; i < requests.Count; i++)
        {
            var check = submission.Check(caller, requests[i]);
            if (check.Message is { } message)
            {
                passed.Add((i, message));
            }
            else
            {
                results[i] = check.Refusal;
            }
        }

        // The request itself took one token at the gate: it stands for the first message.
        var (rated, nextIn) = rateLimiter.TakeUpTo(caller, Math.Max(0, passed.Count - 1));
        foreach (var (index, _) in passed.Skip(rated + 1))
        {
            results[index] = new SubmissionResult.RateLimited(nextIn);
        }

        passed = passed.Take(rated + 1).ToList();
        var (allowed, renewsIn) = passed.Count == 0 ? (0, TimeSpan.Zero) : await quota.ConsumeUpToAsync(caller, passed.Count, cancellationToken).ConfigureAwait(false);
        foreach (var (index, _) in passed.Skip(allowed))
        {
            results[index] = new SubmissionResult.QuotaExceeded(renewsIn);
        }

        passed = passed.Take(allowed).ToList();
        var now = time.GetUtcNow();
        var prepared = new List<PreparedMessage>(passed.Count);
        try
        {
            foreach (var (index, message) in passed)
            {
                prepared.Add(await submission.PrepareAsync(caller, message, MessageId.ForBatchItem(batchId, index), now, cancellationToken).ConfigureAwait(false));
            }

            // From here on the batch is committed: a client that hangs up must not leave half of it.
            var failures = await WriteAsync(prepared).ConfigureAwait(false);
            for (var i = 0; i < passed.Count; i++)
            {
                results[passed[i].Index] = failures[i] is null ? prepared[i].Accepted : new SubmissionResult.Unavailable();
            }
        }
        finally
        {
            foreach (var message in prepared)
            {
                await message.DisposeAsync().ConfigureAwait(false);
            }
        }

        return results.Select((result, index) => new BatchItem(index, result!)).ToArray();
    }

    /// <summary>The first request's results again, from what it recorded with its idempotency key.</summary>
    private BatchItem[] Replay(ApiCaller caller, IReadOnlyList<SendRequest> requests, IdempotencyClaim.Replay replay)
    {
        var codes = (replay.Results ?? "").Split(',');
        return requests.Select((request, index) => new BatchItem(index, (index < codes.Length ? codes[index] : "") switch
        {
            QueuedCode => new SubmissionResult.Accepted(MessageId.ForBatchItem(replay.MessageId, index), MessageStatus.Queued),
            ScheduledCode => new SubmissionResult.Accepted(MessageId.ForBatchItem(replay.MessageId, index), MessageStatus.Scheduled),
            RateLimitedCode => new SubmissionResult.RateLimited(TimeSpan.FromSeconds(1)),
            QuotaCode => new SubmissionResult.QuotaExceeded(time.GetUtcNow().UtcDateTime.Date.AddDays(1) - time.GetUtcNow().UtcDateTime),
            // Refused as it stood: checking the same item again gives the same answer.
            _ => submission.Check(caller, request).Refusal ?? new SubmissionResult.Unavailable(),
        })).ToArray();
    }

    private const string QueuedCode = "q";
    private const string ScheduledCode = "s";
    private const string RateLimitedCode = "r";
    private const string QuotaCode = "d";
    private const string RefusedCode = "x";

    /// <summary>Each item's result in a few characters, kept with the idempotency key for a duplicate's answer.</summary>
    private static string EncodeStatuses(IEnumerable<BatchItem> items) => string.Join(',', items.Select(item => item.Result switch
    {
        SubmissionResult.Accepted { Status: MessageStatus.Scheduled } => ScheduledCode,
        SubmissionResult.Accepted => QueuedCode,
        SubmissionResult.RateLimited => RateLimitedCode,
        SubmissionResult.QuotaExceeded => QuotaCode,
        _ => RefusedCode,
    }));

    /// <summary>
    /// Writes every prepared message: payloads and queue messages in parallel, records in table transactions. A
    /// message with a failed write is marked not accepted (its item answers 503); the others stand.
    /// </summary>
    private async Task<Exception?[]> WriteAsync(List<PreparedMessage> prepared)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism };
        var notStored = new Exception?[prepared.Count];
        var notQueued = new Exception?[prepared.Count];
        var stored = Parallel.ForAsync(0, prepared.Count, options, async (i, _) =>
            notStored[i] = await MessageSubmission.FailureOfAsync(prepared[i].Envelope.StorePayloadAsync(CancellationToken.None)).ConfigureAwait(false));
        var recorded = submission.RecordAllAsync(prepared.Select(p => p.Record).ToList());
        var queued = Parallel.ForAsync(0, prepared.Count, options, async (i, _) =>
            notQueued[i] = await MessageSubmission.FailureOfAsync(submission.QueueAsync(prepared[i])).ConfigureAwait(false));
        await Task.WhenAll(stored, queued).ConfigureAwait(false);
        var notRecorded = await recorded.ConfigureAwait(false);
        var failures = new Exception?[prepared.Count];
        for (var i = 0; i < prepared.Count; i++)
        {
            failures[i] = await submission.FinishAcceptAsync(prepared[i], notStored[i], notRecorded[i], notQueued[i]).ConfigureAwait(false);
        }

        return failures;
    }
}

/// <summary>One item of a batch and what became of it.</summary>
public sealed record BatchItem(int Index, SubmissionResult Result);

/// <summary>A batch's items, or (when its idempotency key refused it as a whole) the refusal.</summary>
public sealed record BatchOutcome(IReadOnlyList<BatchItem>? Items, SubmissionResult? Refusal);
