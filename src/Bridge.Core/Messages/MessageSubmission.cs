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
        if (claim is not IdempotencyClaim.New fresh)
        {
            return claim switch
            {
                IdempotencyClaim.Replay replay => new SubmissionResult.Accepted(replay.MessageId),
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

        if (result is SubmissionResult.Accepted)
        {
            await idempotency.CompleteAsync(caller.KeyName, idempotencyKey, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            // Refused requests are not remembered: the client may fix the body and retry with the same key.
            await idempotency.ReleaseAsync(caller.KeyName, idempotencyKey, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

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

    private static async Task<Exception?> FailureOfAsync(Task write)
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
        var errors = new ValidationErrors();
        if (validator.Validate(request, errors) is not { } message)
        {
            return new SubmissionResult.Invalid(errors);
        }

        if (policy.Check(caller, message) is { } violation)
        {
            return new SubmissionResult.Forbidden(violation);
        }

        if (await quota.TryConsumeAsync(caller, cancellationToken).ConfigureAwait(false) is { } renewsIn)
        {
            return new SubmissionResult.QuotaExceeded(renewsIn);
        }

        activity?.SetTag(TelemetryTags.Profile, message.Profile);
        var now = time.GetUtcNow();
        var mime = composer.Compose(id, message);
        var recipients = message.Recipients.Select(r => r.Address).ToList();
        await using var prepared = await outbox.PrepareAsync(id, caller.KeyName, message.Profile, message.From.Address, recipients, now, mime, cancellationToken)
            .ConfigureAwait(false);
        var envelope = prepared.Envelope;

        // From here on the request is committed: a client that hangs up must not leave half a message.
        var record = new MessageRecord
        {
            Owner = caller.KeyName,
            CreatedAt = now,
            From = message.From.ToString(),
            To = message.To.Concat(message.Cc).Select(m => m.ToString()).ToList(),
            Subject = message.Subject,
            Profile = message.Profile,
            Tags = message.Tags,
            State = DeliveryState.Accepted(id, now, caller.KeyName),
        };

        // The record, the queue message and a claim-checked payload are written at once, so an accept waits for
        // one storage round trip, not two or three: a worker that gets the message before its record or its
        // payload waits for them (DeliveryWorker).
        var stored = prepared.StorePayloadAsync(CancellationToken.None);
        var recorded = store.CreateAsync(record, CancellationToken.None);
        Exception? notQueued;
        using (var enqueue = telemetry.StartEnqueue(id, message.Profile))
        {
            // The enqueue span's context travels with the message: delivery continues this trace.
            notQueued = await FailureOfAsync(outbox.SendAsync(envelope with { TraceParent = enqueue?.Id }, TimeSpan.Zero, CancellationToken.None))
                .ConfigureAwait(false);
            enqueue?.SetStatus(notQueued is null ? ActivityStatusCode.Unset : ActivityStatusCode.Error);
        }

        var notStored = await FailureOfAsync(stored).ConfigureAwait(false);
        var notRecorded = await FailureOfAsync(recorded).ConfigureAwait(false);
        if ((notQueued ?? notRecorded ?? notStored) is { } failure)
        {
            // Not all stored, so not accepted: make sure it is never sent (if storage lets us), then let the caller answer 503.
            var missing = new[] { (notRecorded, "record"), (notQueued, "queue message"), (notStored, "payload") }
                .Where(write => write.Item1 is not null)
                .Select(write => write.Item2);
            LogNotAccepted(logger, failure, id, string.Join(", ", missing));
            activity?.SetStatus(ActivityStatusCode.Error, "not accepted");
            await TryMarkNotAcceptedAsync(record.State, envelope).ConfigureAwait(false);
            ExceptionDispatchInfo.Throw(failure);
        }

        LogAccepted(logger, id, caller.KeyName, message.Profile, recipients.Count);
        telemetry.Accepted(message.Profile);
        return new SubmissionResult.Accepted(id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} accepted from key {ApiKey} for profile {Profile}, {RecipientCount} recipients")]
    private static partial void LogAccepted(ILogger logger, string messageId, string apiKey, string profile, int recipientCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An idempotency key of API key {ApiKey} could not be released after a failure; it frees itself when stale")]
    private static partial void LogKeyNotReleased(ILogger logger, Exception exception, string apiKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} not accepted: could not write its {Missing}")]
    private static partial void LogNotAccepted(ILogger logger, Exception exception, string messageId, string missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} was not accepted and could not be marked failed either")]
    private static partial void LogNotMarked(ILogger logger, Exception exception, string messageId);
}
