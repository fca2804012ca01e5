using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Messages;

/// <summary>
/// Cancels a scheduled or queued message. The cancel is a state change under the same ETag guard the worker's claim
/// uses (creating the state row, or replacing it under its ETag), so when a cancel and a delivery race, exactly one
/// of them changes the state: the other finds it changed and gives way.
/// </summary>
public sealed partial class MessageCancellation(MessageStore store, OutboxQueue outbox, TimeProvider time, ILogger<MessageCancellation> logger)
{
    private const int MaxRaces = 5;

    public async Task<CancelResult> CancelAsync(ApiCaller caller, string id, CancellationToken cancellationToken)
    {
        for (var race = 0; ; race++)
        {
            var timeline = await store.GetTimelineAsync(id, cancellationToken).ConfigureAwait(false);
            if (timeline is null || !caller.MayRead(timeline.Message.Owner))
            {
                return new CancelResult.NotFound();
            }

            var state = timeline.Message.State;
            if (state.Status == MessageStatus.Canceled)
            {
                return new CancelResult.Canceled(state.UpdatedAt);
            }

            if (!state.Status.IsCancelable())
            {
                return new CancelResult.TooLate(state.Status);
            }

            var now = time.GetUtcNow();
            try
            {
                await store.UpdateAsync(state with { Status = MessageStatus.Canceled, UpdatedAt = now, NextAttemptAt = null },
                    [new MessageEvent(MessageEventType.Canceled, now, Detail: $"Canceled by API key '{caller.KeyName}'.")],
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MessageConcurrencyException) when (race < MaxRaces)
            {
                // A worker claimed it (or another cancel won) since it was read: look again and answer from what is there now.
                continue;
            }

            // The queue message stays until its time and is then skipped (the message is finished); its payload need not wait.
            await outbox.DeletePayloadAsync(id, CancellationToken.None).ConfigureAwait(false);
            LogCanceled(logger, id, caller.KeyName);
            return new CancelResult.Canceled(now);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} canceled by key {ApiKey}")]
    private static partial void LogCanceled(ILogger logger, string messageId, string apiKey);
}

/// <summary>What became of a cancel.</summary>
public abstract record CancelResult
{
    private CancelResult()
    {
    }

    /// <summary>The message is canceled (now, or already before).</summary>
    public sealed record Canceled(DateTimeOffset At) : CancelResult;

    /// <summary>No such message for this key.</summary>
    public sealed record NotFound : CancelResult;

    /// <summary>A worker has taken the message (or it is finished): it can no longer be canceled.</summary>
    public sealed record TooLate(MessageStatus Status) : CancelResult;
}
