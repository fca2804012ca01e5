using System.Text.Json;
using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Bridge.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Delivery;

/// <summary>
/// Handles a message the trigger gave up on (it crashed <c>maxDequeueCount</c> times): keeps the
/// envelope for replay and records <c>poisoned</c> with the last error it can find.
/// </summary>
public sealed partial class PoisonHandler(
    MessageStore store, PoisonArchive archive, BridgeTelemetry telemetry, TimeProvider time, ILogger<PoisonHandler> logger)
{
    public async Task HandleAsync(string queueMessage, CancellationToken cancellationToken)
    {
        OutboxEnvelope envelope;
        try
        {
            envelope = OutboxQueue.Deserialize(queueMessage);
        }
        catch (JsonException)
        {
            var kept = await archive.SaveUnreadableAsync(queueMessage, cancellationToken).ConfigureAwait(false);
            LogUnreadable(logger, queueMessage.Length, kept);
            return;
        }

        using var scope = logger.BeginMessageScope(envelope.Id);
        await archive.SaveAsync(envelope.Id, queueMessage, cancellationToken).ConfigureAwait(false);
        for (var tries = 0; tries < 3; tries++)
        {
            var message = await store.GetStateAsync(envelope.Id, cancellationToken).ConfigureAwait(false);
            if (message is null || message.Status.IsTerminal())
            {
                // Finished after all (e.g. it crashed while cleaning up): nothing to replay.
                await archive.DeleteAsync(envelope.Id, cancellationToken).ConfigureAwait(false);
                LogAlreadyFinished(logger, envelope.Id, message?.Status.ToWire() ?? "unknown");
                return;
            }

            var reason = $"Delivery crashed repeatedly and was set aside; last error: {message.LastError ?? "unknown"}. " +
                         $"Replay it with POST /api/v1/messages/{envelope.Id}/replay once the cause is fixed.";
            try
            {
                await store.UpdateAsync(
                    message with { Status = MessageStatus.Poisoned, UpdatedAt = time.GetUtcNow(), NextAttemptAt = null },
                    [new MessageEvent(MessageEventType.Poisoned, time.GetUtcNow(), Detail: reason, Attempt: envelope.Attempt)],
                    cancellationToken).ConfigureAwait(false);
                LogPoisoned(logger, envelope.Id, message.LastError ?? "unknown");
                telemetry.Poisoned(envelope.Profile);
                return;
            }
            catch (MessageConcurrencyException)
            {
                // Changed under us; read it again.
            }
        }

        throw new InvalidOperationException($"Message {envelope.Id} kept changing while it was being marked poisoned.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} poisoned: {LastError}")]
    private static partial void LogPoisoned(ILogger logger, string messageId, string lastError);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} reached the poison queue but is already {Status}")]
    private static partial void LogAlreadyFinished(ILogger logger, string messageId, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "A poison queue message of {Length} characters is not an envelope; kept as {Blob}")]
    private static partial void LogUnreadable(ILogger logger, int length, string blob);
}
