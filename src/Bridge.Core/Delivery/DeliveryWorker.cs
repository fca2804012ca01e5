using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Bridge.Core.Suppressions;
using Bridge.Core.Telemetry;
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
    PoisonArchive archive,
    SmtpSender sender,
    RetrySchedule retries,
    BridgeTelemetry telemetry,
    UpstreamQuota quotas,
    SuppressionStore suppressions,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger)
{
    public async Task DeliverAsync(string queueMessage, CancellationToken cancellationToken)
    {
        var envelope = OutboxQueue.Deserialize(queueMessage);
        using var scope = logger.BeginMessageScope(envelope.Id);
        if (await HideUntilDueAsync(envelope, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        using var activity = telemetry.StartDeliver(envelope.Id, envelope.Profile, envelope.Attempt, envelope.TraceParent);
        var started = time.GetTimestamp();
        DeliveryState? held = null;
        var resumed = false;
        try
        {
            DeliveryResult result;
            // Loaded before the claim: accept stores a claim-checked payload at the same time as the queue
            // message, so it may not be there yet, and a copy that cannot send should not hold the message.
            await using (var loaded = await LoadAsync(envelope, cancellationToken).ConfigureAwait(false))
            {
                if (loaded is null)
                {
                    return;
                }

                if (await ClaimAsync(envelope, cancellationToken).ConfigureAwait(false) is not { } claim)
                {
                    return;
                }

                (held, resumed) = claim;
                if (await SkipSuppressedAsync(envelope, held, cancellationToken).ConfigureAwait(false) is not { } unsuppressed)
                {
                    return;
                }

                (envelope, held) = unsuppressed;
                telemetry.QueueAge(envelope.Profile, time.GetUtcNow() - envelope.AcceptedAt);
                result = await sender.SendAsync(envelope.Profile, loaded.Message, envelope.Sender, envelope.Recipients, cancellationToken)
                    .ConfigureAwait(false);
            }

            var outcome = await RecordAsync(envelope, held, result, resumed, cancellationToken).ConfigureAwait(false);
            await SuppressRefusedAsync(envelope, result).ConfigureAwait(false);
            telemetry.Delivered(envelope.Profile, outcome, time.GetElapsedTime(started));
            activity?.SetTag(TelemetryTags.Outcome, outcome.ToWire());
            if (SmtpReplyOf(result) is { } reply)
            {
                activity?.SetTag(TelemetryTags.SmtpReplyCode, reply.Code);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            // A crash: left to the trigger's retry and poison handling. Note the reason on the message, so a
            // poisoned one says why, and give up the lease if this copy held it, so the retry does not wait for it.
            LogCrashed(logger, envelope.Id, envelope.Attempt, ErrorText.Describe(e));
            await TryNoteCrashAsync(envelope, held, e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Leaves out the recipients the sending key has suppressed, each with a <c>suppressed</c> event, and returns the
    /// envelope for the rest (later attempts carry only those) with the state as written. Null when every recipient is
    /// suppressed: the message is then finished, failed. Envelopes without their key (queued by older versions) are sent as they are.
    /// </summary>
    private async Task<(OutboxEnvelope Envelope, DeliveryState Held)?> SkipSuppressedAsync(
        OutboxEnvelope envelope, DeliveryState held, CancellationToken cancellationToken)
    {
        if (envelope.Owner is not { } owner)
        {
            return (envelope, held);
        }

        var found = await suppressions.FindAsync(owner, envelope.Recipients, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return (envelope, held);
        }

        var now = time.GetUtcNow();
        var split = SuppressedRecipients.Split(envelope.Recipients, found);
        var events = split.Skipped.Select(s => new MessageEvent(MessageEventType.Suppressed, now, Recipient: s.Recipient, Attempt: envelope.Attempt,
            Detail: SuppressedRecipients.Describe(s.Suppression))).ToList();
        LogSuppressed(logger, envelope.Id, split.Skipped.Count, envelope.Recipients.Count);
        if (split.Rest.Count == 0)
        {
            events.Add(new MessageEvent(MessageEventType.Failed, now, Attempt: envelope.Attempt,
                Detail: $"Not sent: every recipient is suppressed for API key '{owner}'. Remove a suppression (DELETE /api/v1/suppressions/{{email}}) to send to it again."));
            await FinishAsync(envelope, held, held.PartiallySent ? MessageStatus.Sent : MessageStatus.Failed, null, events, CancellationToken.None).ConfigureAwait(false);
            telemetry.Delivered(envelope.Profile, DeliveryOutcome.Failed, TimeSpan.Zero);
            return null;
        }

        return (envelope with { Recipients = split.Rest }, await store.UpdateAsync(held with { UpdatedAt = now }, events, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Suppresses, for the sending key, the recipients this attempt's server refused with a permanent mailbox error.
    /// After the outcome is written, and best effort: a suppression that could not be stored only means the next
    /// message tries the address again.
    /// </summary>
    private async Task SuppressRefusedAsync(OutboxEnvelope envelope, DeliveryResult result)
    {
        if (envelope.Owner is not { } owner || RefusalSuppressions.Of(result) is not { Count: > 0 } refused)
        {
            return;
        }

        try
        {
            foreach (var recipient in refused)
            {
                await suppressions.AddAsync(owner, recipient.Address, Suppression.FromSmtp, MailboxError.EnhancedStatusOf(recipient.Reply.Reply),
                    $"{recipient.Reply.Code} {recipient.Reply.Reply}", envelope.Id, CancellationToken.None).ConfigureAwait(false);
            }

            LogSuppressing(logger, envelope.Id, refused.Count, owner);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            LogSuppressionNotStored(logger, e, envelope.Id);
        }
    }

    /// <summary>
    /// A scheduled copy that shows up before its time (a host that retried it after a crash, a visibility delay cut
    /// short) is put back for the rest of the wait: never early. True when it was.
    /// </summary>
    private async Task<bool> HideUntilDueAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        var early = envelope.SendAt - time.GetUtcNow();
        if (early is not { } wait || wait <= TimeSpan.Zero)
        {
            return false;
        }

        LogEarly(logger, envelope.Id, wait);
        await outbox.SendAsync(envelope, wait, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Loads the message to send, or returns null when this copy has nothing to send: its payload is not
    /// stored yet (it is looked for again later), or it is gone because the message is finished.
    /// </summary>
    private async Task<LoadedMessage?> LoadAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            return await outbox.LoadMessageAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (PayloadNotFoundException)
        {
            var message = await store.GetStateAsync(envelope.Id, cancellationToken).ConfigureAwait(false);
            if (message?.Status.IsTerminal() == true)
            {
                LogSkipped(logger, envelope.Id, envelope.Attempt, message.Status.ToWire());
                return null;
            }

            // A payload still missing once accept has surely ended is lost: a crash, so the message is poisoned.
            if (message is not null && !IsAcceptPending(envelope))
            {
                throw;
            }

            await AwaitAcceptAsync(envelope, message is null ? "record" : "payload", cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Decides what this copy of the envelope should do and, when it should send, marks the message
    /// sending under an ETag guard. Returns the marked state (this copy now holds the lease) and whether it
    /// takes over from an attempt that never recorded its outcome, or null when there is nothing to send. A
    /// lost race re-reads the message and decides again.
    /// </summary>
    private async Task<(DeliveryState Held, bool Resumed)?> ClaimAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        var quotaTaken = false;
        for (var race = 0; ; race++)
        {
            // The first attempt knows the state accept left (none: the message is queued), so it skips the
            // read: if anything changed since (another copy, a failed enqueue), creating the state row fails
            // and the loop reads.
            var message = race == 0 && envelope.Attempt == 1
                ? DeliveryState.Accepted(envelope.Id, envelope.AcceptedAt, envelope.Owner)
                : await store.GetStateAsync(envelope.Id, cancellationToken).ConfigureAwait(false);
            if (message is null)
            {
                await AwaitAcceptAsync(envelope, "record", cancellationToken).ConfigureAwait(false);
                return null;
            }

            var now = time.GetUtcNow();
            try
            {
                switch (CopyDecisions.Decide(message, envelope, now, options.Value.MaxAge))
                {
                    case CopyDecision.Skip:
                        LogSkipped(logger, envelope.Id, envelope.Attempt, message.Status.ToWire());
                        return null;
                    case CopyDecision.WaitForLease:
                        var wait = message.LeaseUntil!.Value - now + TimeSpan.FromSeconds(1);
                        LogLeaseHeld(logger, envelope.Id, wait);
                        await outbox.SendAsync(envelope, wait, cancellationToken).ConfigureAwait(false);
                        return null;
                    case CopyDecision.Expire:
                        await FinishAsync(envelope, message, MessageStatus.Failed, null,
                            [new MessageEvent(MessageEventType.Failed, now, Detail: $"Not sent within the maximum age of {options.Value.MaxAge}.")],
                            cancellationToken).ConfigureAwait(false);
                        return null;
                    default:
                        // Taken once per copy: a lost race below does not take another message's share of the quota.
                        if (!quotaTaken && await quotas.TryTakeAsync(envelope.Profile, now, cancellationToken).ConfigureAwait(false) is { } full)
                        {
                            await ThrottleAsync(envelope, message, full, now, cancellationToken).ConfigureAwait(false);
                            return null;
                        }

                        quotaTaken = true;
                        return (await store.UpdateAsync(
                            message with
                            {
                                Status = MessageStatus.Sending, Attempts = envelope.Attempt, UpdatedAt = now, NextAttemptAt = null,
                                LeaseUntil = now + options.Value.SendingLease, LastError = null,
                            },
                            [new MessageEvent(MessageEventType.Attempt, now, Attempt: envelope.Attempt, Detail: InterruptedAttempt(message), Profile: envelope.Profile)],
                            cancellationToken).ConfigureAwait(false), message.Status == MessageStatus.Sending);
                }
            }
            // Four lost races at most after the first try, which on attempt 1 is made with the presumed state.
            catch (MessageConcurrencyException) when (race < 4)
            {
                LogRaceLost(logger, envelope.Id);
            }
            catch (MessageNotRecordedException)
            {
                await AwaitAcceptAsync(envelope, "record", cancellationToken).ConfigureAwait(false);
                return null;
            }
        }
    }

    /// <summary>
    /// Puts a message whose profile's quota window is full back on the queue until the window ends, then records it
    /// throttled. Not an attempt: the copy keeps its attempt number, and the message its state (a scheduled one is
    /// now simply waiting). Queued first, so a crash in between leaves a retry; a lost race leaves the state to
    /// whoever changed it, and the extra copy decides again when it comes.
    /// </summary>
    private async Task ThrottleAsync(OutboxEnvelope envelope, DeliveryState message, ThrottledWindow full, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wait = full.Until - now;
        await outbox.SendAsync(envelope, wait, cancellationToken).ConfigureAwait(false);
        LogThrottled(logger, envelope.Id, envelope.Profile, full.Limit, full.Window, wait);
        try
        {
            await store.UpdateAsync(
                message with
                {
                    Status = message.Status == MessageStatus.Scheduled ? MessageStatus.Queued : message.Status,
                    UpdatedAt = now, NextAttemptAt = full.Until,
                },
                [new MessageEvent(MessageEventType.Throttled, now, Attempt: envelope.Attempt, Profile: envelope.Profile,
                    Detail: $"Profile '{envelope.Profile}' has sent its {full.Limit} messages this {full.Window} (UTC); sending after {full.Until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.")],
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MessageConcurrencyException or MessageNotRecordedException)
        {
            LogRaceLost(logger, envelope.Id);
        }
    }

    /// <summary>
    /// A message without its record or its payload is not sent. Accept writes them at the same time as the
    /// queue message, so on a first attempt they may still be on their way: look again later, until <see
    /// cref="DeliveryOptions.RecordWait"/> after accept. Past that (or on a later attempt) a message with no
    /// record was never accepted (its client was told so), and the envelope is dropped; a missing payload
    /// never gets here then (<see cref="LoadAsync"/> treats it as a crash).
    /// </summary>
    private async Task AwaitAcceptAsync(OutboxEnvelope envelope, string missing, CancellationToken cancellationToken)
    {
        if (!IsAcceptPending(envelope))
        {
            LogUnknownMessage(logger, envelope.Id);
            return;
        }

        // Doubling waits: a second for a write a moment late, a minute at most for a storage outage.
        var waited = time.GetUtcNow() - envelope.AcceptedAt;
        var wait = TimeSpan.FromSeconds(Math.Clamp(waited.TotalSeconds, 1, 60));
        LogAcceptAwaited(logger, envelope.Id, missing, wait);
        await outbox.SendAsync(envelope, wait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the accept of this copy's message may still be writing (only a first attempt's can).</summary>
    private bool IsAcceptPending(OutboxEnvelope envelope) =>
        envelope.Attempt == 1 && time.GetUtcNow() - envelope.AcceptedAt < options.Value.RecordWait;

    private async Task TryNoteCrashAsync(OutboxEnvelope envelope, DeliveryState? held, Exception error)
    {
        try
        {
            var message = held ?? await store.GetStateAsync(envelope.Id, CancellationToken.None).ConfigureAwait(false);
            var now = time.GetUtcNow();
            // A copy that crashed before its claim (loading the payload) leaves alone a message that is finished or
            // that another copy holds; otherwise the ETag guard keeps it from overwriting a change made since.
            if (message is null || (held is null && (message.Status.IsTerminal() || message.IsLeasedAt(now))))
            {
                return;
            }

            await store.UpdateAsync(message with { LastError = ErrorText.Describe(error), LeaseUntil = held is null ? message.LeaseUntil : now }, [],
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MessageConcurrencyException or MessageNotRecordedException or Azure.RequestFailedException
                                      or IOException or HttpRequestException)
        {
            LogErrorNotRecorded(logger, e, envelope.Id);
        }
    }

    /// <summary>Says why an attempt follows one that never recorded its outcome: the one window for a duplicate.</summary>
    private static string? InterruptedAttempt(DeliveryState message) => message.Status != MessageStatus.Sending
        ? null
        : message.LastError is { } error
            ? $"The previous attempt crashed ({error}); trying again."
            : "The previous attempt stopped before recording its outcome; if the server had already accepted the message, this sends it again.";

    private static SmtpReply? SmtpReplyOf(DeliveryResult result) => result switch
    {
        DeliveryResult.Sent sent => sent.Reply,
        DeliveryResult.Failed failed => failed.Failure.Reply,
        _ => null,
    };

    /// <summary>Records the attempt's outcome and returns it, as counted.</summary>
    private async Task<DeliveryOutcome> RecordAsync(
        OutboxEnvelope envelope, DeliveryState message, DeliveryResult result, bool resumed, CancellationToken cancellationToken)
    {
        // The outcome is written even if the host is stopping: the server already answered.
        var now = time.GetUtcNow();
        var retryDelay = retries.DelayBefore(envelope.Attempt + 1, envelope.DueAt, now);
        var failovers = FailoverEvents(result, now, envelope.Attempt);
        switch (result)
        {
            case DeliveryResult.Sent sent:
                var retryRecipients = retryDelay is null ? [] : sent.Rejected.Where(r => r.IsTemporary).Select(r => r.Address).ToList();
                var events = failovers.Concat(sent.Rejected
                    .Select(r => new MessageEvent(MessageEventType.Rejected, now, r.Reply, Recipient: r.Address,
                        Detail: r.IsTemporary ? retryDelay is null ? "Refused for now, and too old to retry." : "Refused for now; retried with the next attempt." : null))
                    .Append(new MessageEvent(MessageEventType.Sent, now, sent.Reply, Attempt: envelope.Attempt, Profile: sent.Profile,
                        Detail: sent.Rejected.Count == 0 ? null : $"Accepted for {envelope.Recipients.Count - sent.Rejected.Count} of {envelope.Recipients.Count} recipients.")))
                    .ToList();
                if (resumed)
                {
                    events.Add(new MessageEvent(MessageEventType.PossibleDuplicate, now, Attempt: envelope.Attempt,
                        Detail: "Sent again after an attempt that stopped before recording its outcome: if the server had accepted that one, " +
                                "the recipients have this message twice (with the same Message-ID)."));
                    LogPossibleDuplicate(logger, envelope.Id, envelope.Attempt);
                }

                if (retryRecipients.Count > 0)
                {
                    events.Add(new MessageEvent(MessageEventType.Deferred, now, sent.Rejected.First(r => r.IsTemporary).Reply,
                        $"Retrying {retryRecipients.Count} recipient(s) the server refused for now.", Attempt: envelope.Attempt));
                    await DeferAsync(envelope with { Attempt = envelope.Attempt + 1, Recipients = retryRecipients },
                        message with { PartiallySent = true }, retryDelay!.Value, sent.Reply, events).ConfigureAwait(false);
                    return DeliveryOutcome.Deferred;
                }

                await FinishAsync(envelope, message, MessageStatus.Sent, sent.Reply, events, CancellationToken.None).ConfigureAwait(false);
                LogSent(logger, envelope.Id, envelope.Attempt, sent.Reply.Reply);
                return DeliveryOutcome.Sent;

            case DeliveryResult.Failed { Failure.Kind: FailureKind.Transient } failed when retryDelay is { } delay:
                await DeferAsync(envelope with { Attempt = envelope.Attempt + 1 }, message, delay, failed.Failure.Reply,
                    [.. failovers, new MessageEvent(MessageEventType.Deferred, now, failed.Failure.Reply, failed.Failure.Describe(), Attempt: envelope.Attempt, Profile: failed.Profile)])
                    .ConfigureAwait(false);
                LogDeferred(logger, envelope.Id, envelope.Attempt, delay, failed.Failure.Describe());
                return DeliveryOutcome.Deferred;

            case DeliveryResult.Failed failed:
                var detail = failed.Failure.Kind == FailureKind.Transient
                    ? $"{failed.Failure.Describe()} Gave up: the next retry would pass the maximum age of {options.Value.MaxAge}."
                    : failed.Failure.Describe();
                if (message.PartiallySent)
                {
                    detail = $"Not delivered to {string.Join(", ", envelope.Recipients)} (the other recipients received it earlier). {detail}";
                }

                // A message some recipients already received stays sent; the failed event names who did not get it.
                await FinishAsync(envelope, message, message.PartiallySent ? MessageStatus.Sent : MessageStatus.Failed, failed.Failure.Reply,
                    [.. failovers, new MessageEvent(MessageEventType.Failed, now, failed.Failure.Reply, detail, Attempt: envelope.Attempt, Profile: failed.Profile)],
                    CancellationToken.None).ConfigureAwait(false);
                LogFailed(logger, envelope.Id, envelope.Attempt, failed.Failure.Kind, detail);
                return DeliveryOutcome.Failed;

            default:
                throw new InvalidOperationException("Unknown delivery result.");
        }
    }

    /// <summary>One more <c>attempt</c> event per profile failed over to within this attempt, saying what the one before it did.</summary>
    private static List<MessageEvent> FailoverEvents(DeliveryResult result, DateTimeOffset now, int attempt) =>
        result.FailedOver.Select((failover, i) =>
        {
            var next = i + 1 < result.FailedOver.Count ? result.FailedOver[i + 1].Profile : result.Profile;
            return new MessageEvent(MessageEventType.Attempt, now, failover.Failure.Reply,
                $"Profile '{failover.Profile}' failed ({failover.Failure.Describe()}); failing over to '{next}'.", Attempt: attempt, Profile: next);
        }).ToList();

    /// <summary>
    /// Queues <paramref name="next"/> after <paramref name="delay"/>, then records the message deferred. In that
    /// order: a crash in between leaves a retry, not a stuck message.
    /// </summary>
    private async Task DeferAsync(OutboxEnvelope next, DeliveryState message, TimeSpan delay, SmtpReply? reply, IReadOnlyList<MessageEvent> events)
    {
        var now = time.GetUtcNow();
        await outbox.SendAsync(next, delay, CancellationToken.None).ConfigureAwait(false);
        await WriteOutcomeAsync(
            message with { Status = MessageStatus.Deferred, UpdatedAt = now, LastReply = reply, NextAttemptAt = now + delay, LeaseUntil = null },
            events, message.LeaseUntil, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task FinishAsync(
        OutboxEnvelope envelope, DeliveryState message, MessageStatus status, SmtpReply? reply,
        IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken)
    {
        await WriteOutcomeAsync(
            message with { Status = status, UpdatedAt = time.GetUtcNow(), LastReply = reply ?? message.LastReply, NextAttemptAt = null, LeaseUntil = null },
            events, message.LeaseUntil, cancellationToken).ConfigureAwait(false);
        if (status == MessageStatus.Failed)
        {
            await KeepForReplayAsync(envelope).ConfigureAwait(false);
            return;
        }

        await outbox.DeletePayloadAsync(envelope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A failed message keeps its envelope and payload (until the retention sweep) so it can be replayed once
    /// its cause is fixed. Best effort: the outcome is already recorded, and a lost copy only means no replay.
    /// </summary>
    private async Task KeepForReplayAsync(OutboxEnvelope envelope)
    {
        try
        {
            await archive.SaveAsync(envelope.Id, OutboxQueue.Serialize(envelope), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e)
        {
            LogNotKept(logger, e, envelope.Id);
        }
    }

    /// <summary>
    /// Writes an outcome, retrying a failed write while this copy still holds the lease (until <paramref name="leaseUntil"/>):
    /// after a 250, a lost outcome means a redelivery sends the message again. A write that took effect although its
    /// answer was lost fails its retry on the ETag, and is recognised by the state it left.
    /// </summary>
    private async Task WriteOutcomeAsync(DeliveryState next, IReadOnlyList<MessageEvent> events, DateTimeOffset? leaseUntil, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var retried = false; ; retried = true)
        {
            try
            {
                await store.UpdateAsync(next, events, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MessageConcurrencyException) when (retried)
            {
                var current = await store.GetStateAsync(next.Id, cancellationToken).ConfigureAwait(false);
                if (current is null || current.Status != next.Status || current.UpdatedAt != next.UpdatedAt)
                {
                    throw;
                }

                return;
            }
            catch (Exception e) when (IsStorageFailure(e) && time.GetUtcNow() + delay < leaseUntil)
            {
                LogOutcomeWriteRetried(logger, next.Id, delay, ErrorText.Describe(e));
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxOutcomeRetryDelay.Ticks));
            }
        }
    }

    private static readonly TimeSpan MaxOutcomeRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Storage that failed to answer (the client's own retries included), as opposed to a refused write.</summary>
    private static bool IsStorageFailure(Exception error) => error switch
    {
        MessageConcurrencyException or MessageNotRecordedException => false,
        Azure.RequestFailedException or IOException or HttpRequestException => true,
        AggregateException e => e.InnerExceptions.All(IsStorageFailure),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: {Skipped} of {Recipients} recipient(s) suppressed for its key; not sent to them")]
    private static partial void LogSuppressed(ILogger logger, string messageId, int skipped, int recipients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: {Count} recipient(s) refused with a mailbox error; suppressed for key {Key}")]
    private static partial void LogSuppressing(ILogger logger, string messageId, int count, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: a refused recipient could not be suppressed; the next message tries it again")]
    private static partial void LogSuppressionNotStored(ILogger logger, Exception exception, string messageId);

    // The host logs the exception with its stack; this line says what it means for the message.
    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId}: attempt {Attempt} crashed ({Error}); the trigger will retry it")]
    private static partial void LogCrashed(ILogger logger, string messageId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} throttled: profile {Profile} has sent its {Limit} messages this {Window}; again in {Wait}")]
    private static partial void LogThrottled(ILogger logger, string messageId, string profile, int limit, string window, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: arrived before its scheduled time; hidden again for {Wait}")]
    private static partial void LogEarly(ILogger logger, string messageId, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: another copy changed it first; deciding again")]
    private static partial void LogRaceLost(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: the crash could not be noted on the message")]
    private static partial void LogErrorNotRecorded(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: its record was never written; nothing to send")]
    private static partial void LogUnknownMessage(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: its {Missing} is not written yet; checking again in {Wait}")]
    private static partial void LogAcceptAwaited(ILogger logger, string messageId, string missing, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: copy of attempt {Attempt} skipped, the message is already {Status}")]
    private static partial void LogSkipped(ILogger logger, string messageId, int attempt, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: another worker is sending it; checking again in {Wait}")]
    private static partial void LogLeaseHeld(ILogger logger, string messageId, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: its outcome could not be written ({Error}); trying again in {Delay}")]
    private static partial void LogOutcomeWriteRetried(ILogger logger, string messageId, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: attempt {Attempt} sent it again after an attempt that never recorded its outcome; it may be a duplicate")]
    private static partial void LogPossibleDuplicate(ILogger logger, string messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} sent on attempt {Attempt}: {Reply}")]
    private static partial void LogSent(ILogger logger, string messageId, int attempt, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} deferred after attempt {Attempt}, retry in {Delay}: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string messageId, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} failed on attempt {Attempt} ({Kind}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string messageId, int attempt, FailureKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} failed, and its envelope could not be kept for a replay")]
    private static partial void LogNotKept(ILogger logger, Exception exception, string messageId);
}
