using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Delivery;

/// <summary>
/// Handles one queue message: decides whether this copy should send at all, marks the message
/// sending (ETag-guarded) before SMTP, sends, and records the outcome with its events in one write.
/// Transient failures are re-enqueued explicitly with a backoff delay; a crash propagates so the
/// trigger retries and, in the end, poisons the message.
/// </summary>
public sealed partial class DeliveryWorker(
    MessageStore store,
    OutboxQueue outbox,
    SmtpSender sender,
    RetrySchedule retries,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger)
{
    public async Task DeliverAsync(string queueMessage, CancellationToken cancellationToken)
    {
        var envelope = OutboxQueue.Deserialize(queueMessage);
        try
        {
            await DeliverAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A crash: leave it to the trigger's retry and poison handling, but keep the reason for the timeline.
            LogCrashed(logger, e, envelope.Id, envelope.Attempt);
            await TryRecordErrorAsync(envelope.Id, e).ConfigureAwait(false);
            throw;
        }
    }

    private async Task TryRecordErrorAsync(string id, Exception error)
    {
        try
        {
            await store.RecordErrorAsync(id, $"{error.GetType().Name}: {error.Message}", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or IOException or HttpRequestException)
        {
            LogErrorNotRecorded(logger, e, id);
        }
    }

    private async Task DeliverAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        var message = await store.GetAsync(envelope.Id, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            LogUnknownMessage(logger, envelope.Id);
            return;
        }

        var now = time.GetUtcNow();
        switch (Decide(message, envelope, now))
        {
            case Decision.Skip:
                LogSkipped(logger, envelope.Id, envelope.Attempt, message.Status.ToWire());
                return;
            case Decision.WaitForLease:
                var wait = message.UpdatedAt + options.Value.SendingLease - now + TimeSpan.FromSeconds(1);
                LogLeaseHeld(logger, envelope.Id, wait);
                await outbox.SendAsync(envelope, wait, cancellationToken).ConfigureAwait(false);
                return;
            case Decision.Expire:
                await FinishAsync(envelope, message, MessageStatus.Failed, null,
                    [new MessageEvent(MessageEventType.Failed, now, Detail: $"Not sent within the maximum age of {options.Value.MaxAge}.")],
                    cancellationToken).ConfigureAwait(false);
                return;
        }

        var interrupted = message.Status == MessageStatus.Sending;
        message = await store.UpdateAsync(
            message with { Status = MessageStatus.Sending, Attempts = envelope.Attempt, UpdatedAt = now, NextAttemptAt = null },
            [new MessageEvent(MessageEventType.Attempt, now, Attempt: envelope.Attempt,
                Detail: interrupted ? "The previous attempt was interrupted before its outcome was recorded; the server may already have the message." : null)],
            cancellationToken).ConfigureAwait(false);

        var mime = await outbox.LoadMessageAsync(envelope, cancellationToken).ConfigureAwait(false);
        var result = await sender.SendAsync(envelope.Profile, mime, envelope.Sender, envelope.Recipients, cancellationToken).ConfigureAwait(false);
        await RecordAsync(envelope, message, result, cancellationToken).ConfigureAwait(false);
    }

    private Decision Decide(MessageRecord message, OutboxEnvelope envelope, DateTimeOffset now)
    {
        if (message.Status.IsTerminal() || envelope.Attempt < message.Attempts
            || (envelope.Attempt == message.Attempts && message.Status == MessageStatus.Deferred))
        {
            return Decision.Skip;
        }

        if (message.Status == MessageStatus.Sending && now < message.UpdatedAt + options.Value.SendingLease)
        {
            return Decision.WaitForLease;
        }

        return now - envelope.AcceptedAt > options.Value.MaxAge ? Decision.Expire : Decision.Send;
    }

    private async Task RecordAsync(OutboxEnvelope envelope, MessageRecord message, DeliveryResult result, CancellationToken cancellationToken)
    {
        // The outcome is written even if the host is stopping: the server already answered.
        var now = time.GetUtcNow();
        switch (result)
        {
            case DeliveryResult.Sent sent:
                var events = sent.Rejected
                    .Select(r => new MessageEvent(MessageEventType.Rejected, now, r.Reply, Recipient: r.Address))
                    .Append(new MessageEvent(MessageEventType.Sent, now, sent.Reply, Attempt: envelope.Attempt))
                    .ToList();
                await FinishAsync(envelope, message, MessageStatus.Sent, sent.Reply, events, CancellationToken.None).ConfigureAwait(false);
                LogSent(logger, envelope.Id, envelope.Attempt, sent.Reply.Reply);
                break;

            case DeliveryResult.Failed { Failure.Kind: FailureKind.Transient } failed
                when retries.DelayBefore(envelope.Attempt + 1, envelope.AcceptedAt, now) is { } delay:
                // Enqueue the next attempt before recording it: a crash in between leaves a retry, not a stuck message.
                await outbox.SendAsync(envelope with { Attempt = envelope.Attempt + 1 }, delay, CancellationToken.None).ConfigureAwait(false);
                await store.UpdateAsync(
                    message with { Status = MessageStatus.Deferred, UpdatedAt = now, LastReply = failed.Failure.Reply, NextAttemptAt = now + delay },
                    [new MessageEvent(MessageEventType.Deferred, now, failed.Failure.Reply, failed.Failure.Describe(), Attempt: envelope.Attempt)],
                    CancellationToken.None).ConfigureAwait(false);
                LogDeferred(logger, envelope.Id, envelope.Attempt, delay, failed.Failure.Describe());
                break;

            case DeliveryResult.Failed failed:
                var detail = failed.Failure.Kind == FailureKind.Transient
                    ? $"{failed.Failure.Describe()} Gave up: the next retry would pass the maximum age of {options.Value.MaxAge}."
                    : failed.Failure.Describe();
                await FinishAsync(envelope, message, MessageStatus.Failed, failed.Failure.Reply,
                    [new MessageEvent(MessageEventType.Failed, now, failed.Failure.Reply, detail, Attempt: envelope.Attempt)],
                    CancellationToken.None).ConfigureAwait(false);
                LogFailed(logger, envelope.Id, envelope.Attempt, failed.Failure.Kind, detail);
                break;
        }
    }

    private async Task FinishAsync(
        OutboxEnvelope envelope, MessageRecord message, MessageStatus status, SmtpReply? reply,
        IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken)
    {
        await store.UpdateAsync(
            message with { Status = status, UpdatedAt = time.GetUtcNow(), LastReply = reply ?? message.LastReply, NextAttemptAt = null },
            events, cancellationToken).ConfigureAwait(false);
        await outbox.DeletePayloadAsync(envelope, cancellationToken).ConfigureAwait(false);
    }

    private enum Decision
    {
        Send,
        Skip,
        WaitForLease,
        Expire,
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId}: attempt {Attempt} crashed; the trigger will retry it")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: the crash could not be noted on the message")]
    private static partial void LogErrorNotRecorded(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: no record in the messages table; nothing to send")]
    private static partial void LogUnknownMessage(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: copy of attempt {Attempt} skipped, the message is already {Status}")]
    private static partial void LogSkipped(ILogger logger, string messageId, int attempt, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: another worker is sending it; checking again in {Wait}")]
    private static partial void LogLeaseHeld(ILogger logger, string messageId, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} sent on attempt {Attempt}: {Reply}")]
    private static partial void LogSent(ILogger logger, string messageId, int attempt, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} deferred after attempt {Attempt}, retry in {Delay}: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string messageId, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} failed on attempt {Attempt} ({Kind}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string messageId, int attempt, FailureKind kind, string reason);
}
