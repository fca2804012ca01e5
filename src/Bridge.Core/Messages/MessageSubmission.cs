using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Bridge.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Messages;

/// <summary>
/// Accepts a send request: validates it, checks the sender rules, renders the MIME, records the
/// message and queues it. Accepted means durably queued.
/// </summary>
public sealed partial class MessageSubmission(
    SendRequestValidator validator,
    SenderPolicy policy,
    MimeComposer composer,
    MessageStore store,
    OutboxQueue outbox,
    IdempotencyStore idempotency,
    DailyQuota quota,
    BridgeTelemetry telemetry,
    TimeProvider time,
    ILogger<MessageSubmission> logger)
{
    public async Task<SubmissionResult> SubmitAsync(
        ApiCaller caller, SendRequest request, IdempotencyKey? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is null)
        {
            return await SubmitAsync(caller, request, MessageId.New(), cancellationToken).ConfigureAwait(false);
        }

        var claim = await idempotency.ClaimAsync(caller.KeyName, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (claim is not IdempotencyClaim.Fresh fresh)
        {
            return claim switch
            {
                // The first answer again: a scheduled message was remembered as such.
                IdempotencyClaim.Replay replay => new SubmissionResult.Accepted(replay.MessageId,
                    replay.Results == ScheduledResult ? MessageStatus.Scheduled : MessageStatus.Queued),
                IdempotencyClaim.Conflict => new SubmissionResult.IdempotencyConflict(),
                _ => new SubmissionResult.IdempotencyInProgress(),
            };
        }

        SubmissionResult result;
        try
        {
            result = await SubmitAsync(caller, request, fresh.MessageId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await TryReleaseAsync(caller.KeyName, idempotencyKey).ConfigureAwait(false);
            throw;
        }

        if (result is SubmissionResult.Accepted accepted)
        {
            await idempotency.CompleteAsync(caller.KeyName, idempotencyKey, CancellationToken.None,
                accepted.Status == MessageStatus.Scheduled ? ScheduledResult : null).ConfigureAwait(false);
        }
        else
        {
            // Refused requests are not remembered: the client may fix the body and retry with the same key.
            await idempotency.ReleaseAsync(caller.KeyName, idempotencyKey, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>What an idempotency key keeps of a single send's answer when the message was scheduled.</summary>
    private const string ScheduledResult = "scheduled";

    /// <summary>
    /// Marks a message that was not accepted failed, so that a queue message that did get through is not sent.
    /// Where the record was not written either, there is nothing to mark, and the worker will find no record.
    /// </summary>
    private async Task TryMarkNotAcceptedAsync(DeliveryState created, OutboxEnvelope envelope)
    {
        try
        {
            await store.UpdateAsync(created with { Status = MessageStatus.Failed, UpdatedAt = time.GetUtcNow() },
                [new MessageEvent(MessageEventType.Failed, time.GetUtcNow(), Detail: "Could not be stored; the client was told to retry.")],
                CancellationToken.None).ConfigureAwait(false);
            await outbox.DeletePayloadAsync(envelope, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or MessageConcurrencyException or MessageNotRecordedException)
        {
            LogNotMarked(logger, e, created.Id);
        }
    }

    internal static async Task<Exception?> FailureOfAsync(Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Frees the key after a failure, best effort (a claim left behind goes stale and is taken over).</summary>
    private async Task TryReleaseAsync(string apiKey, IdempotencyKey key)
    {
        try
        {
            await idempotency.ReleaseAsync(apiKey, key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e)
        {
            LogKeyNotReleased(logger, e, apiKey);
        }
    }

    private async Task<SubmissionResult> SubmitAsync(ApiCaller caller, SendRequest request, string id, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginMessageScope(id);
        using var activity = telemetry.StartAccept(id);
        var check = Check(caller, request);
        if (check.Message is not { } message)
        {
            return check.Refusal!;
        }

        if (await quota.TryConsumeAsync(caller, cancellationToken).ConfigureAwait(false) is { } renewsIn)
        {
            return new SubmissionResult.QuotaExceeded(renewsIn);
        }

        activity?.SetTag(TelemetryTags.Profile, message.Profile);
        await using var prepared = await PrepareAsync(caller, message, id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

        // From here on the request is committed: a client that hangs up must not leave half a message.
        // The record, the queue message and a claim-checked payload are written at once, so an accept waits for
        // one storage round trip, not two or three: a worker that gets the message before its record or its
        // payload waits for them (DeliveryWorker).
        var stored = prepared.Envelope.StorePayloadAsync(CancellationToken.None);
        var recorded = store.CreateAsync(prepared.Record, CancellationToken.None);
        var queued = QueueAsync(prepared);
        if (await FinishAcceptAsync(prepared, await FailureOfAsync(stored).ConfigureAwait(false), await FailureOfAsync(recorded).ConfigureAwait(false),
                await FailureOfAsync(queued).ConfigureAwait(false)).ConfigureAwait(false) is { } failure)
        {
            // Not all stored, so not accepted: the caller answers 503.
            activity?.SetStatus(ActivityStatusCode.Error, "not accepted");
            ExceptionDispatchInfo.Throw(failure);
        }

        return prepared.Accepted;
    }

    /// <summary>Validates a request and checks its sender rules: what a message must pass before it costs anything.</summary>
    internal SubmissionCheck Check(ApiCaller caller, SendRequest request)
    {
        var errors = new ValidationErrors();
        if (validator.Validate(request, errors) is not { } message)
        {
            return new SubmissionCheck(null, new SubmissionResult.Invalid(errors));
        }

        return policy.Check(caller, message) is { } violation
            ? new SubmissionCheck(null, new SubmissionResult.Forbidden(violation))
            : new SubmissionCheck(message, null);
    }

    /// <summary>Renders a checked message and builds what accept writes: its envelope (and payload) and its record.</summary>
    internal async Task<PreparedMessage> PrepareAsync(ApiCaller caller, ValidatedMessage message, string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mime = composer.Compose(id, message);
        var recipients = message.Recipients.Select(r => r.Address).ToList();
        var prepared = await outbox.PrepareAsync(id, caller.KeyName, message.Profile, message.From.Address, recipients, now, message.SendAt, mime, cancellationToken)
            .ConfigureAwait(false);
        var record = new MessageRecord
        {
            Owner = caller.KeyName,
            CreatedAt = now,
            From = message.From.ToString(),
            To = message.To.Concat(message.Cc).Select(m => m.ToString()).ToList(),
            Subject = message.Subject,
            Profile = message.Profile,
            Tags = message.Tags,
            Metadata = message.Metadata,
            SendAt = message.SendAt,
            State = DeliveryState.Accepted(id, now, caller.KeyName),
        };
        return new PreparedMessage(prepared, record, caller.KeyName, recipients.Count);
    }

    /// <summary>Puts the message on the queue; a scheduled one hidden until its time (validation kept it within the queue's 7 days).</summary>
    internal async Task QueueAsync(PreparedMessage prepared)
    {
        using var enqueue = telemetry.StartEnqueue(prepared.Record.Id, prepared.Record.Profile);
        try
        {
            // The enqueue span's context travels with the message: delivery continues this trace.
            await outbox.SendAsync(prepared.Envelope.Envelope with { TraceParent = enqueue?.Id },
                ScheduleDelay(prepared.Record.SendAt, prepared.Record.CreatedAt), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            enqueue?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
    }

    /// <summary>
    /// Ends an accept once its writes are done: logs it accepted, or, when a write failed, makes sure the message is
    /// never sent (if storage lets us) and returns the failure.
    /// </summary>
    internal async Task<Exception?> FinishAcceptAsync(PreparedMessage prepared, Exception? notStored, Exception? notRecorded, Exception? notQueued)
    {
        var id = prepared.Record.Id;
        if ((notQueued ?? notRecorded ?? notStored) is { } failure)
        {
            var missing = new[] { (notRecorded, "record"), (notQueued, "queue message"), (notStored, "payload") }
                .Where(write => write.Item1 is not null)
                .Select(write => write.Item2);
            LogNotAccepted(logger, failure, id, string.Join(", ", missing));
            await TryMarkNotAcceptedAsync(prepared.Record.State, prepared.Envelope.Envelope).ConfigureAwait(false);
            return failure;
        }

        LogAccepted(logger, id, prepared.Owner, prepared.Record.Profile, prepared.RecipientCount);
        telemetry.Accepted(prepared.Record.Profile);
        return null;
    }

    /// <summary>Writes many records at once (table transactions where they share a partition); per record, what failed.</summary>
    internal Task<Exception?[]> RecordAllAsync(IReadOnlyList<MessageRecord> records) => store.CreateManyAsync(records, CancellationToken.None);

    private static TimeSpan ScheduleDelay(DateTimeOffset? sendAt, DateTimeOffset now) => sendAt is { } at && at > now
        ? TimeSpan.FromTicks(Math.Min((at - now).Ticks, SendAtRule.MaxDelay.Ticks))
        : TimeSpan.Zero;

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} accepted from key {ApiKey} for profile {Profile}, {RecipientCount} recipients")]
    private static partial void LogAccepted(ILogger logger, string messageId, string apiKey, string profile, int recipientCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An idempotency key of API key {ApiKey} could not be released after a failure; it frees itself when stale")]
    private static partial void LogKeyNotReleased(ILogger logger, Exception exception, string apiKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} not accepted: could not write its {Missing}")]
    private static partial void LogNotAccepted(ILogger logger, Exception exception, string messageId, string missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} was not accepted and could not be marked failed either")]
    private static partial void LogNotMarked(ILogger logger, Exception exception, string messageId);
}
