using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Bridge.Core.Events;
using Bridge.Core.Storage;

namespace Bridge.Core.Messages;

/// <summary>
/// Idempotency keys in Table storage, scoped to the API key that used them and kept for 24 hours.
/// The first request claims the key with an insert (which only one writer can win); duplicates
/// wait briefly for it to finish and then answer with the same message.
/// </summary>
public sealed class IdempotencyStore(StorageClients storage, MessageStore messages, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>A claim still pending after this long belongs to a request that died; it may be taken over.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.IdempotencyTable);

    public async Task<IdempotencyClaim> ClaimAsync(string apiKey, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var rowKey = RowKey(key.Key);
        var deadline = time.GetUtcNow() + WaitForFirst;
        var poll = FirstPoll;
        while (true)
        {
            var messageId = MessageId.New();
            if (await TryInsertAsync(apiKey, rowKey, key.BodySha256, messageId, cancellationToken).ConfigureAwait(false))
            {
                return new IdempotencyClaim.Fresh(messageId);
            }

            var existing = await table.GetEntityIfExistsAsync<TableEntity>(apiKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue)
            {
                continue; // Released between our insert and read: try again.
            }

            var entity = existing.Value!;
            var now = time.GetUtcNow();
            var createdAt = entity.GetDateTimeOffset("CreatedAt") ?? now;
            var firstId = entity.GetString("MessageId")!;
            if (now - createdAt > Window)
            {
                if (await TryReplaceAsync(entity, key.BodySha256, messageId, cancellationToken).ConfigureAwait(false))
                {
                    return new IdempotencyClaim.Fresh(messageId);
                }

                continue;
            }

            if (entity.GetString("BodySha256") != key.BodySha256)
            {
                return new IdempotencyClaim.Conflict();
            }

            if (entity.GetString("State") == "done")
            {
                return new IdempotencyClaim.Replay(firstId, entity.GetString(ResultsColumn));
            }

            if (now - createdAt > StaleAfter)
            {
                // The first request died after claiming. Once delivery has begun, its message is the answer.
                var takeOverWith = TakeOverWith(await messages.GetStateAsync(firstId, cancellationToken).ConfigureAwait(false), firstId, messageId);
                if (takeOverWith is null)
                {
                    await CompleteAsync(apiKey, key, cancellationToken).ConfigureAwait(false);
                    return new IdempotencyClaim.Replay(firstId);
                }

                if (await TryReplaceAsync(entity, key.BodySha256, takeOverWith, cancellationToken).ConfigureAwait(false))
                {
                    return new IdempotencyClaim.Fresh(takeOverWith);
                }

                continue;
            }

            if (now >= deadline)
            {
                return new IdempotencyClaim.InProgress();
            }

            // Back off, so a crowd of duplicates does not slow down the first request's own writes.
            await Task.Delay(poll, time, cancellationToken).ConfigureAwait(false);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, MaxPoll.Ticks));
        }
    }

    /// <summary>
    /// Which message a request that takes over a dead one's claim submits, or null when the dead one's
    /// message is on its way and is the answer.
    /// </summary>
    private static string? TakeOverWith(DeliveryState? first, string firstId, string freshId) => first switch
    {
        // Not recorded, or recorded and still queued: its queue message may never have been written, so the
        // same message is submitted again. A second queue message is harmless: only one copy can claim it.
        null or { Status: MessageStatus.Queued } => firstId,

        // Failed before any attempt: accept marked it so because it could not store it, and answered 503.
        { Status: MessageStatus.Failed, Attempts: 0 } => freshId,
        _ => null,
    };

    /// <summary>
    /// The message was accepted: later duplicates get its answer. A batch keeps its per-item <paramref name="results"/>
    /// (short text) with it, which a duplicate gets back in <see cref="IdempotencyClaim.Replay"/>.
    /// </summary>
    public async Task CompleteAsync(string apiKey, IdempotencyKey key, CancellationToken cancellationToken, string? results = null) =>
        await table.UpdateEntityAsync(new TableEntity(apiKey, RowKey(key.Key)) { ["State"] = "done", [ResultsColumn] = results },
                ETag.All, TableUpdateMode.Merge, cancellationToken)
            .ConfigureAwait(false);

    private const string ResultsColumn = "Results";

    /// <summary>The request was refused (or failed): the key is free for a corrected retry.</summary>
    public async Task ReleaseAsync(string apiKey, IdempotencyKey key, CancellationToken cancellationToken) =>
        await table.DeleteEntityAsync(apiKey, RowKey(key.Key), ETag.All, cancellationToken).ConfigureAwait(false);

    private async Task<bool> TryInsertAsync(string apiKey, string rowKey, string bodySha256, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(NewEntity(apiKey, rowKey, bodySha256, messageId), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    private async Task<bool> TryReplaceAsync(TableEntity existing, string bodySha256, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(NewEntity(existing.PartitionKey, existing.RowKey, bodySha256, messageId), existing.ETag,
                TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    private TableEntity NewEntity(string apiKey, string rowKey, string bodySha256, string messageId) => new(apiKey, rowKey)
    {
        ["BodySha256"] = bodySha256,
        ["MessageId"] = messageId,
        ["State"] = "pending",
        ["CreatedAt"] = time.GetUtcNow(),
    };

    /// <summary>Keys may hold characters a row key cannot; their hash cannot.</summary>
    private static string RowKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
