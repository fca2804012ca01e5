using System.Globalization;
using System.Text;
using System.Text.Json;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Hooks;
using Bridge.Core.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Callbacks;

/// <summary>
/// Drains the callbacks queue (both hosts' queue triggers call <see cref="HandleAsync"/>): POSTs the event to its key's
/// callback URL, records the attempt and its HTTP status as a <c>callback</c> entry beside the message's timeline, and puts
/// a failed one back on the queue for the next rung of the ladder. It never changes the message's own status.
/// </summary>
public sealed partial class CallbackWorker(
    CallbackSender sender,
    CallbackQueue queue,
    MessageStore store,
    SecretCache secrets,
    IOptionsMonitor<ApiKeyOptions> keys,
    IOptions<CallbackOptions> options,
    TimeProvider time,
    ILogger<CallbackWorker> logger)
{
    public async Task HandleAsync(string queueMessage, CancellationToken cancellationToken)
    {
        CallbackItem item;
        try
        {
            item = CallbackQueue.Deserialize(queueMessage);
        }
        catch (JsonException e)
        {
            // Not ours to record anywhere: no message id to hang it on. Retrying would not make it readable.
            LogUnreadable(logger, e);
            return;
        }

        var name = CallbackEvents.TypeName(item.Type);
        if (!keys.CurrentValue.TryGetValue(item.Key, out var key) || !Uri.TryCreate(key.CallbackUrl, UriKind.Absolute, out var url) || key.CallbackSecret is not { } secretName)
        {
            await RecordAsync(item, $"{name}: not sent, key '{item.Key}' has no callback URL any more", null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var body = item.Body ?? CallbackPayload.Build(item, await store.GetFactsAsync(item.MessageId, cancellationToken).ConfigureAwait(false));
        var attempt = await AttemptAsync(url, item, Encoding.UTF8.GetBytes(body), secretName, cancellationToken).ConfigureAwait(false);
        var ladder = options.Value.Ladder;
        var delay = attempt.Verdict == CallbackVerdict.Failed
            ? CallbackRetry.DelayAfter(item.Attempt, ladder, options.Value.RetryJitter, Random.Shared.NextDouble())
            : null;
        var outcome = (attempt.Verdict, delay) switch
        {
            (CallbackVerdict.Delivered, _) => "",
            (CallbackVerdict.Refused, _) => "; not retried",
            (_, { } wait) => $"; retry {item.Attempt + 1} of {ladder.Count + 1} in {Describe(wait)}",
            _ => $"; gave up after {item.Attempt} attempts",
        };
        await RecordAsync(item, $"{name}: {attempt.Detail}{outcome}", attempt.HttpStatus, cancellationToken).ConfigureAwait(false);

        if (delay is { } retryIn)
        {
            LogRetrying(logger, item.MessageId, name, item.Attempt, attempt.Detail);
            await queue.SendAsync(item with { Attempt = item.Attempt + 1, Body = body }, retryIn, cancellationToken).ConfigureAwait(false);
        }
        else if (attempt.Verdict != CallbackVerdict.Delivered)
        {
            LogGaveUp(logger, item.MessageId, name, item.Attempt, attempt.Detail);
        }
    }

    private async Task<CallbackAttempt> AttemptAsync(Uri url, CallbackItem item, byte[] body, string secretName, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await secrets.GetSecretAsync(secretName, cancellationToken).ConfigureAwait(false);
            return await sender.PostAsync(url, item.WebhookId, body, secret, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretNotFoundException)
        {
            return new CallbackAttempt(CallbackVerdict.Failed, null, $"not sent, the secret '{secretName}' is not in the secret store");
        }
        catch (UnusableSecretException)
        {
            return new CallbackAttempt(CallbackVerdict.Failed, null, $"not sent, the secret '{secretName}' is not whsec_ followed by base64");
        }
    }

    private Task RecordAsync(CallbackItem item, string detail, int? httpStatus, CancellationToken cancellationToken) =>
        store.AddSideEventAsync(item.MessageId, item.RowTag,
            new MessageEvent(MessageEventType.Callback, time.GetUtcNow(), Detail: detail, Attempt: item.Attempt, HttpStatus: httpStatus),
            cancellationToken);

    private static string Describe(TimeSpan delay) => delay.TotalSeconds < 120
        ? delay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
        : delay.TotalMinutes < 120 ? delay.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min"
        : delay.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h";

    [LoggerMessage(Level = LogLevel.Error, Message = "A callbacks queue message could not be read and was dropped")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: callback {Event} attempt {Attempt} failed ({Detail}); retrying")]
    private static partial void LogRetrying(ILogger logger, string messageId, string @event, int attempt, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: callback {Event} failed for good after attempt {Attempt} ({Detail})")]
    private static partial void LogGaveUp(ILogger logger, string messageId, string @event, int attempt, string detail);
}
