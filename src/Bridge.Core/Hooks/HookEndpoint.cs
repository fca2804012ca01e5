using System.Text.Json;
using Azure;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Bridge.Core.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Hooks;

/// <summary>
/// <c>POST /api/v1/hooks/{name}</c>: a platform's webhook. The raw body is read within the size limit and its
/// signature checked before anything parses it; the hook's templates then turn the payload into a send request,
/// which takes the same path as <c>POST /api/v1/messages</c> (validation, sender policy, MIME, storage, queue).
/// The delivery id keys the idempotency record, so the platform's retry gets the first message and queues nothing.
/// </summary>
public sealed partial class HookEndpoint(
    HookCatalog catalog,
    JsonBody body,
    SecretCache secrets,
    LiquidTemplates liquid,
    MessageSubmission submission,
    TimeProvider time,
    ILogger<HookEndpoint> logger)
{
    private static readonly JsonDocumentOptions PayloadOptions = new() { MaxDepth = 64 };

    public async Task<IResult> HandleAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        if (catalog.Find(name) is not { } hook)
        {
            return HookAnswers.NotFound();
        }

        var raw = await body.ReadRawAsync(request, cancellationToken).ConfigureAwait(false);
        if (raw.Problem is not null)
        {
            return raw.Problem;
        }

        var delivery = new HookDelivery(request.Headers, request.Query, raw.Bytes);
        if (await VerifyAsync(hook, delivery, request.HttpContext.Response, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        JsonDocument payload;
        try
        {
            payload = JsonDocument.Parse(raw.Bytes, PayloadOptions);
        }
        catch (JsonException)
        {
            return Problems.BadJson("A hook's body must be JSON; set the platform's content type to application/json.");
        }

        using (payload)
        {
            return await SubmitAsync(hook, delivery, payload.RootElement, raw.Sha256, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Null when the delivery is authentic; otherwise the answer (401, or 503 when the secret cannot be used).</summary>
    private async Task<IResult?> VerifyAsync(Hook hook, HookDelivery delivery, HttpResponse response, CancellationToken cancellationToken)
    {
        string? refusal;
        try
        {
            var secret = await secrets.GetSecretAsync(hook.SecretName, cancellationToken).ConfigureAwait(false);
            refusal = hook.Verifier.Verify(delivery, secret, time.GetUtcNow());
        }
        catch (Exception e) when (e is SecretNotFoundException or UnusableSecretException or RequestFailedException or Azure.Identity.AuthenticationFailedException)
        {
            LogSecretUnusable(logger, e, hook.Name, hook.SecretName);
            return Problems.Unavailable("This hook cannot verify deliveries right now; nothing was queued. Retry later.");
        }

        if (refusal is null)
        {
            return null;
        }

        LogRefused(logger, hook.Name, refusal);
        response.Headers.WWWAuthenticate = "Signature";
        return HookAnswers.BadSignature(refusal);
    }

    private async Task<IResult> SubmitAsync(Hook hook, HookDelivery delivery, JsonElement payload, string bodySha256, CancellationToken cancellationToken)
    {
        var deliveryId = hook.DeliveryId.Find(delivery, payload);
        if (deliveryId is not null && !IdempotencyKey.IsWellFormed(deliveryId))
        {
            return Problems.Validation(new Dictionary<string, string[]> { [hook.DeliveryId.Name] = ["must be 1 to 255 printable ASCII characters"] });
        }

        var context = liquid.NewContext(MessageTemplate.Model(payload, delivery.Headers));
        if (!hook.Template.Matches(context, out var failure) && failure is null)
        {
            LogIgnored(logger, hook.Name, deliveryId);
            return HookAnswers.Ignored();
        }

        if (failure is not null || hook.Template.Render(context, hook.Profile, out failure) is not { } message)
        {
            LogTemplateFailed(logger, hook.Name, deliveryId, failure!.Field, failure.Reason);
            return HookAnswers.TemplateFailed(hook.Name, failure);
        }

        var key = deliveryId is null ? null : new IdempotencyKey(deliveryId, bodySha256);
        try
        {
            var result = await submission.SubmitAsync(hook.Caller, message, key, cancellationToken).ConfigureAwait(false);
            if (result is SubmissionResult.Accepted accepted)
            {
                LogQueued(logger, hook.Name, deliveryId, accepted.Id);
                return AcceptedMessage.Result(accepted.Id);
            }

            LogNotQueued(logger, hook.Name, deliveryId, result.GetType().Name);
            return Refusal(hook, result);
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not accept the message; nothing was queued. Retry shortly.");
        }
    }

    /// <summary>Why a rendered message was not queued, in the words a hook's operator needs.</summary>
    private static IResult Refusal(Hook hook, SubmissionResult result) => result switch
    {
        SubmissionResult.Invalid invalid => HookAnswers.RenderedInvalid(hook.Name, invalid.Errors.ToDictionary()),
        SubmissionResult.Forbidden forbidden => Problems.Forbidden(forbidden.Violation.Rule, forbidden.Violation.Detail),
        SubmissionResult.QuotaExceeded exceeded => Problems.RateLimited(
            $"Hook '{hook.Name}' has queued its {hook.Caller.MessagesPerDay} messages for today (UTC).", exceeded.RetryAfter),
        SubmissionResult.IdempotencyConflict => Problems.Problem(StatusCodes.Status409Conflict, "idempotency-conflict",
            "This delivery id came before with a different body.", $"Hook '{hook.Name}' already queued a message for this delivery id."),
        _ => Problems.Problem(StatusCodes.Status409Conflict, "idempotency-in-progress",
            "This delivery is still being handled.", "Retry shortly to get its answer.", retryAfterSeconds: 2),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {Hook} delivery {DeliveryId} queued as message {MessageId}")]
    private static partial void LogQueued(ILogger logger, string hook, string? deliveryId, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {Hook} delivery {DeliveryId} ignored: its condition is false")]
    private static partial void LogIgnored(ILogger logger, string hook, string? deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hook {Hook} refused a delivery: {Reason}")]
    private static partial void LogRefused(ILogger logger, string hook, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hook {Hook} delivery {DeliveryId}: template field {Field} failed: {Reason}")]
    private static partial void LogTemplateFailed(ILogger logger, string hook, string? deliveryId, string field, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hook {Hook} delivery {DeliveryId} was not queued: {Outcome}")]
    private static partial void LogNotQueued(ILogger logger, string hook, string? deliveryId, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hook {Hook} cannot use its secret {SecretName}; deliveries are answered 503 until it can")]
    private static partial void LogSecretUnusable(ILogger logger, Exception exception, string hook, string secretName);
}
