using Bridge.Core.Auth;
using Bridge.Core.Compat.Postmark;
using Bridge.Core.Compat.SendGrid;
using Bridge.Core.Bounces;
using Bridge.Core.Diagnostics;
using Bridge.Core.Doctor;
using Bridge.Core.Health;
using Bridge.Core.Hooks;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Bridge.Core.Suppressions;
using Bridge.Core.Visibility;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core;

/// <summary>
/// What each route of <see cref="BridgeApi"/> takes and answers, as ASP.NET Core endpoint metadata, so the
/// OpenAPI document Bridge.Server generates names the real types. The handlers read their bodies themselves
/// (they take <see cref="HttpRequest"/>), so nothing here changes how a request is handled; it only describes it.
/// Routes that need an API key carry <see cref="ApiKeyRequirement"/> with the scope; the document's security follows it.
/// </summary>
internal static class ApiDescriptions
{
    private const string Json = "application/json";
    private const string MessagesTag = "Messages";
    private const string OperationsTag = "Operations";
    private const string CompatTag = "Drop-in (SendGrid, Postmark)";
    private const string SuppressionsTag = "Suppressions";

    public static RouteHandlerBuilder SendMessage(this RouteHandlerBuilder route) => route
        .Describe("SendMessage", MessagesTag, "Send one message", "Validates and queues a message; SMTP delivery happens after the answer.")
        .RequiresKey(ApiScope.Send)
        .IdempotencyKey()
        // The multipart form's own schema (a 'message' part and 'attachment' files) is drawn by Bridge.Server's operation transformer.
        .Accepts<SendRequest>(Json, MultipartSendBody.ContentType)
        .Produces<AcceptedMessage>(StatusCodes.Status202Accepted)
        .Refusals(400, 401, 403, 409, 413, 415, 429, 503);

    public static RouteHandlerBuilder SendBatch(this RouteHandlerBuilder route) => route
        .Describe("SendBatch", MessagesTag, "Send a batch", "Queues up to the configured number of messages; each item answers for itself.")
        .RequiresKey(ApiScope.Send)
        .IdempotencyKey()
        .Accepts<BatchRequest>(Json)
        .Produces<BatchResponse>()
        .Refusals(400, 401, 403, 409, 413, 415, 429, 503);

    public static RouteHandlerBuilder ListMessages(this RouteHandlerBuilder route) => route
        .Describe("ListMessages", MessagesTag, "List messages", "The key's messages (admin: every key's), newest first, a page at a time.")
        .Query("status", "queued, deferred, sent, failed or poisoned")
        .Query("to", "a recipient (to or cc), as a bare address, ignoring case")
        .Query("from", "the sender, as a bare address, ignoring case")
        .Query("tag", "one of the message's tags, ignoring case")
        .Query("since", "accepted at or after this instant (ISO 8601)")
        .Query("until", "accepted before this instant (ISO 8601)")
        .Query("limit", $"items per page, 1 to {MessageQuery.MaxLimit} (default {MessageQuery.DefaultLimit})")
        .Query("cursor", "the previous page's next, for the page after it")
        .RequiresKey(ApiScope.Read)
        .Produces<MessageListView>()
        .Refusals(400, 401, 403, 503);

    public static RouteHandlerBuilder MessageStats(this RouteHandlerBuilder route) => route
        .Describe("MessageStats", MessagesTag, "Count messages by status", "Messages accepted in the last 24 hours by status.")
        .RequiresKey(ApiScope.Read)
        .Produces<MessageStats>()
        .Refusals(400, 401, 403, 503);

    public static RouteHandlerBuilder GetMessage(this RouteHandlerBuilder route) => route
        .Describe("GetMessage", MessagesTag, "A message's status and timeline",
            "Also what was accepted: recipients, subject, tags and metadata (as sent; {} when none).")
        .RequiresKey(ApiScope.Read)
        .Produces<MessageView>()
        .Refusals(401, 403, 404, 503);

    public static RouteHandlerBuilder CancelMessage(this RouteHandlerBuilder route) => route
        .Describe("CancelMessage", MessagesTag, "Cancel a scheduled or queued message", "Answers 409 once delivery has begun.")
        .RequiresKey(ApiScope.Send)
        .Produces<CanceledMessage>()
        .Refusals(401, 403, 404, 409, 503);

    public static RouteHandlerBuilder ReplayMessages(this RouteHandlerBuilder route) => route
        .Describe("ReplayMessages", OperationsTag, "Replay failed or poisoned messages", "Replays the messages the filter matches.")
        .RequiresKey(ApiScope.Admin)
        .Accepts<ReplayRequest>(Json)
        .Produces<ReplaySummary>(StatusCodes.Status202Accepted)
        .Refusals(400, 401, 403, 413, 415, 503);

    public static RouteHandlerBuilder ReplayMessage(this RouteHandlerBuilder route) => route
        .Describe("ReplayMessage", OperationsTag, "Replay one failed or poisoned message", null)
        .RequiresKey(ApiScope.Admin)
        .Produces<AcceptedMessage>(StatusCodes.Status202Accepted)
        .Refusals(401, 403, 404, 409, 503);

    public static RouteHandlerBuilder DiagnoseSmtp(this RouteHandlerBuilder route) => route
        .Describe("DiagnoseSmtp", OperationsTag, "Check an SMTP profile or server", "Connects, negotiates TLS, authenticates and optionally sends a test.")
        .RequiresKey(ApiScope.Admin)
        .Accepts<DiagnoseRequest>(Json)
        .Produces<DiagnosisView>()
        .Refusals(400, 401, 403, 413, 415, 503);

    public static RouteHandlerBuilder ReceiveHook(this RouteHandlerBuilder route) => route
        .Describe("ReceiveHook", MessagesTag, "Receive a webhook and send the message its template makes",
            "Authenticated by the hook's own signature or secret, not by an API key. A delivery the hook ignores answers 202 with status 'ignored'.")
        .Accepts<object>(Json)
        .Produces<AcceptedMessage>(StatusCodes.Status202Accepted)
        .Refusals(400, 401, 403, 404, 409, 413, 415, 422, 429, 503);

    public static RouteHandlerBuilder SendGridMailSend(this RouteHandlerBuilder route) => route
        .Describe("SendGridMailSend", CompatTag, "SendGrid v3 mail send",
            "For SendGrid's SDKs with their base URL set to /api/compat/sendgrid: each personalization becomes one message, "
            + "accepted whole (202, empty body, X-Message-Id) or refused whole, errors in SendGrid's shape.")
        .RequiresKey(ApiScope.Send)
        .IdempotencyKey()
        .Accepts<SendGridMail>(Json)
        .Produces(StatusCodes.Status202Accepted)
        .CompatErrors<SendGridErrors>(400, 401, 403, 409, 413, 415, 429, 503);

    public static RouteHandlerBuilder PostmarkEmail(this RouteHandlerBuilder route) => route
        .Describe("PostmarkEmail", CompatTag, "Postmark single send",
            "For Postmark's SDKs with their base URL set to /api/compat/postmark; the key as X-Postmark-Server-Token. Errors as {ErrorCode, Message}.")
        .RequiresKey(ApiScope.Send)
        .PostmarkToken()
        .IdempotencyKey()
        .Accepts<PostmarkMessage>(Json)
        .Produces<PostmarkResult>()
        .CompatErrors<PostmarkResult>(401, 409, 413, 415, 422, 429, 503);

    public static RouteHandlerBuilder PostmarkBatch(this RouteHandlerBuilder route) => route
        .Describe("PostmarkBatch", CompatTag, "Postmark batch send",
            "Up to 500 Postmark messages; 200 with a result per message (ErrorCode 0 and MessageID, or its own error code).")
        .RequiresKey(ApiScope.Send)
        .PostmarkToken()
        .IdempotencyKey()
        .Accepts<List<PostmarkMessage>>(Json)
        .Produces<List<PostmarkResult>>()
        .CompatErrors<PostmarkResult>(401, 409, 413, 415, 422, 429, 503);
    public static RouteHandlerBuilder ListSuppressions(this RouteHandlerBuilder route) => route
        .Describe("ListSuppressions", SuppressionsTag, "List suppressed addresses", $"Addresses each key no longer sends to (at most {SuppressionsEndpoint.MaxItems}).")
        .Query("email", "only this address (its domain compared ignoring case)")
        .Query("key", "only this API key's suppressions")
        .RequiresKey(ApiScope.Admin)
        .Produces<SuppressionList>()
        .Refusals(400, 401, 403, 503);

    public static RouteHandlerBuilder AddSuppression(this RouteHandlerBuilder route) => route
        .Describe("AddSuppression", SuppressionsTag, "Suppress an address for a key", "Later messages of the key skip it, each with a 'suppressed' event.")
        .Query("key", "the API key that should no longer send to the address (required)")
        .RequiresKey(ApiScope.Admin)
        .Produces<SuppressionView>()
        .Refusals(400, 401, 403, 503);

    public static RouteHandlerBuilder RemoveSuppression(this RouteHandlerBuilder route) => route
        .Describe("RemoveSuppression", SuppressionsTag, "Remove a suppression", "For one key (key), or for every key that has it.")
        .Query("key", "only for this API key")
        .RequiresKey(ApiScope.Admin)
        .Produces<SuppressionsRemoved>()
        .Refusals(400, 401, 403, 404, 503);

    public static RouteHandlerBuilder ReceiveBounce(this RouteHandlerBuilder route) => route
        .Describe("ReceiveBounce", SuppressionsTag, "Hand over a bounce (DSN)",
            "For bounces a mailbox provider forwards by webhook: the DSN mail (message/rfc822) or its report (multipart/report). 422 when it matches no message or cannot be read.")
        .RequiresKey(ApiScope.Admin)
        .Accepts<string>("message/rfc822", "multipart/report")
        .Produces<BounceView>()
        .Refusals(401, 403, 413, 415, 422, 503);

    public static RouteHandlerBuilder DeliveryLog(this RouteHandlerBuilder route) => route
        .Describe("DeliveryLog", OperationsTag, "The delivery log page", "An HTML page that asks for a key and calls this API.")
        .Produces(StatusCodes.Status200OK, contentType: "text/html");

    public static RouteHandlerBuilder Health(this RouteHandlerBuilder route) => route
        .Describe("Health", OperationsTag, "Health of storage and the SMTP profiles", "No key needed; 503 when a check fails.")
        .Produces<HealthReport>()
        .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);

    public static RouteHandlerBuilder Metrics(this RouteHandlerBuilder route) => route
        .Describe("Metrics", OperationsTag, "Counters and process usage", "JSON, or every series in Prometheus text (format=prometheus or Accept: text/plain). 404 with metrics off.")
        .Query(MetricsEndpoint.FormatParameter, "json or prometheus")
        .RequiresKey(ApiScope.Admin)
        .Produces<MetricsSnapshot>()
        .Produces(StatusCodes.Status200OK, contentType: "text/plain")
        .Refusals(400, 401, 403, 404);

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder route, string name, string tag, string summary, string? description)
    {
        route.WithName(name).WithTags(tag).WithSummary(summary);
        return description is null ? route : route.WithDescription(description);
    }

    private static RouteHandlerBuilder RequiresKey(this RouteHandlerBuilder route, string scope) =>
        route.WithMetadata(new ApiKeyRequirement(scope));

    private static RouteHandlerBuilder Query(this RouteHandlerBuilder route, string name, string description) =>
        route.WithMetadata(new ApiParameter(name, ApiParameterLocation.Query, description));

    private static RouteHandlerBuilder IdempotencyKey(this RouteHandlerBuilder route) =>
        route.WithMetadata(new ApiParameter(Messages.IdempotencyKey.HeaderName, ApiParameterLocation.Header,
            "a key (1 to 255 printable ASCII characters) that makes a retry of this request answer as the first did, sending nothing twice"));

    private static RouteHandlerBuilder PostmarkToken(this RouteHandlerBuilder route) =>
        route.WithMetadata(new ApiParameter(PostmarkAnswers.TokenHeader, ApiParameterLocation.Header,
            "the Bridge API key, where Postmark's SDKs send their server token (Authorization: Bearer works too)"));

    /// <summary>A drop-in API's errors: its own body type, not problem details.</summary>
    private static RouteHandlerBuilder CompatErrors<TError>(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            route.Produces<TError>(status);
        }

        return route;
    }

    private static RouteHandlerBuilder Refusals(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            route.ProducesProblem(status);
        }

        return route;
    }
}
