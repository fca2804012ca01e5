using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Delivery;

/// <summary>Puts a poisoned message back on the queue, with a fresh maximum-age window.</summary>
public sealed partial class PoisonReplay(MessageStore store, PoisonArchive archive, OutboxQueue outbox, TimeProvider time, ILogger<PoisonReplay> logger)
{
    public async Task<ReplayResult> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        var message = await store.GetStateAsync(id, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return ReplayResult.NotFound;
        }

        if (message.Status != MessageStatus.Poisoned)
        {
            return ReplayResult.NotPoisoned;
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
            [new MessageEvent(MessageEventType.Replayed, now, Detail: "Replayed from the poison queue.")],
            CancellationToken.None).ConfigureAwait(false);
        try
        {
            await outbox.SendAsync(envelope, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await store.UpdateAsync(queued with { Status = MessageStatus.Poisoned, UpdatedAt = time.GetUtcNow() },
                [new MessageEvent(MessageEventType.Poisoned, time.GetUtcNow(), Detail: "Replay could not be queued; still set aside.")],
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await archive.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
        LogReplayed(logger, id, envelope.Attempt);
        return ReplayResult.Replayed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} replayed from the poison queue as attempt {Attempt}")]
    private static partial void LogReplayed(ILogger logger, string messageId, int attempt);
}
