namespace Bridge.Core.Http;

/// <summary>
/// The routes both hosts serve, relative to <c>/api</c> (the Functions route prefix). Bridge.Server maps
/// them all in <see cref="BridgeApi.MapBridgeApi"/>; each Functions trigger names its constant here.
/// </summary>
public static class ApiRoutes
{
    public const string Messages = "v1/messages";
    public const string Message = "v1/messages/{id}";
    public const string Batch = "v1/messages/batch";
    public const string Replay = "v1/messages/{id}/replay";
    public const string MessageStats = "v1/messages/stats";
    public const string ReplayMany = "v1/messages/replay";
    public const string Ui = "ui";
    public const string Health = "health";
    public const string Diagnose = "v1/smtp/diagnose";
    public const string Hook = "v1/hooks/{name}";
    public const string Metrics = "metrics";
    public const string Suppressions = "v1/suppressions";
    public const string Suppression = "v1/suppressions/{email}";
    public const string Bounces = "v1/bounces";
    public const string OpenApi = "openapi.json";

    /// <summary>SendGrid's v3 mail send for its SDKs: their base URL is <c>/api/compat/sendgrid</c>, they add <c>/v3/mail/send</c>.</summary>
    public const string SendGridMailSend = "compat/sendgrid/v3/mail/send";

    /// <summary>Postmark's single send for its SDKs: their base URL is <c>/api/compat/postmark</c>, they add <c>/email</c>.</summary>
    public const string PostmarkEmail = "compat/postmark/email";

    /// <summary>Postmark's batch send (<c>/email/batch</c> under the same base URL).</summary>
    public const string PostmarkBatch = "compat/postmark/email/batch";

    /// <summary>The API reference page, Bridge.Server only (it renders <see cref="OpenApi"/>).</summary>
    public const string Reference = "reference";

    public static string MessageLocation(string id) => $"/api/v1/messages/{id}";
}
