using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Outbox;
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
    TimeProvider time,
    ILogger<MessageSubmission> logger)
{
    public async Task<SubmissionResult> SubmitAsync(ApiCaller caller, SendRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (validator.Validate(request, errors) is not { } message)
        {
            return new SubmissionResult.Invalid(errors);
        }

        if (policy.Check(caller, message) is { } violation)
        {
            return new SubmissionResult.Forbidden(violation);
        }

        var id = MessageId.New();
        var now = time.GetUtcNow();
        var mime = composer.Compose(id, message);
        var recipients = message.Recipients.Select(r => r.Address).ToList();
        var envelope = await outbox.CreateEnvelopeAsync(id, message.Profile, message.From.Address, recipients, now, mime, cancellationToken)
            .ConfigureAwait(false);

        // From here on the request is committed: a client that hangs up must not leave half a message.
        var record = new MessageRecord
        {
            Id = id,
            Owner = caller.KeyName,
            Status = MessageStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
            From = message.From.ToString(),
            To = message.To.Concat(message.Cc).Select(m => m.ToString()).ToList(),
            Subject = message.Subject,
            Profile = message.Profile,
            Tags = message.Tags,
        };
        var created = await store.CreateAsync(record, [new MessageEvent(MessageEventType.Accepted, now)], CancellationToken.None)
            .ConfigureAwait(false);
        try
        {
            await outbox.SendAsync(envelope, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Not queued, so not accepted: say so in the record too, then let the caller answer 503.
            LogNotQueued(logger, e, id);
            await store.UpdateAsync(created with { Status = MessageStatus.Failed, UpdatedAt = time.GetUtcNow() },
                [new MessageEvent(MessageEventType.Failed, time.GetUtcNow(), Detail: "Could not be queued; the client was told to retry.")],
                CancellationToken.None).ConfigureAwait(false);
            await outbox.DeletePayloadAsync(envelope, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        LogAccepted(logger, id, caller.KeyName, message.Profile, recipients.Count);
        return new SubmissionResult.Accepted(id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} accepted from key {ApiKey} for profile {Profile}, {RecipientCount} recipients")]
    private static partial void LogAccepted(ILogger logger, string messageId, string apiKey, string profile, int recipientCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} could not be queued")]
    private static partial void LogNotQueued(ILogger logger, Exception exception, string messageId);
}
