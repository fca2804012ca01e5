using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Delivery;

/// <summary>Puts a poisoned or failed message back on the queue, with a fresh maximum-age window.</summary>
public sealed partial class PoisonReplay(MessageStore store, PoisonArchive archive, OutboxQueue outbox, TimeProvider time, ILogger<PoisonReplay> logger)
{
    public async Task<ReplayResult> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        var message = await store.GetStateAsync(id, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return ReplayResult.NotFound;
        }

        if (message.Status is not (MessageStatus.Poisoned or MessageStatus.Failed))
        {
            return ReplayResult.NotReplayable;
        }

        if (await archive.LoadAsync(id, cancellationToken).ConfigureAwait(false) is not { } saved)
        {
            return ReplayResult.EnvelopeMissing;
        }

        var now = time.GetUtcNow();
        var envelope = OutboxQueue.Deserialize(saved) with { Attempt = message.Attempts + 1, AcceptedAt = now };

        // Queued before enqueueing: a worker that picks the envelope up at once must not see "poisoned".
        var queued = await store.UpdateAsync(
            message with { Status = MessageStatus.Queued, UpdatedAt = now, LastError = null },
            [new MessageEvent(MessageEventType.Replayed, now, Detail: message.Status == MessageStatus.Poisoned
                ? "Replayed from the poison queue."
                : "Replayed after it failed.")],
            CancellationToken.None).ConfigureAwait(false);
        try
        {
            await outbox.SendAsync(envelope, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await store.UpdateAsync(queued with { Status = message.Status, UpdatedAt = time.GetUtcNow() },
                [new MessageEvent(message.Status == MessageStatus.Poisoned ? MessageEventType.Poisoned : MessageEventType.Failed,
                    time.GetUtcNow(), Detail: "Replay could not be queued; still set aside.")],
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await archive.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
        LogReplayed(logger, id, envelope.Attempt);
        return ReplayResult.Replayed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} replayed as attempt {Attempt}")]
    private static partial void LogReplayed(ILogger logger, string messageId, int attempt);
}
