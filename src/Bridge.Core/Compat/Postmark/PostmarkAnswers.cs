using System.Globalization;
using Bridge.Core.Auth;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat.Postmark;

/// <summary>
/// Postmark's answers as its SDKs read them: <c>200 {"To", "SubmittedAt", "MessageID", "ErrorCode": 0, "Message": "OK"}</c>,
/// and for an error the status Postmark would use with <c>{"ErrorCode", "Message"}</c>, Postmark's code where one
/// fits (docs/api.md has the table).
/// </summary>
public static class PostmarkAnswers
{
    public const string TokenHeader = "X-Postmark-Server-Token";

    public const int BadToken = 10;
    public const int InvalidEmailRequest = 300;
    public const int SenderSignatureNotFound = 400;
    public const int InvalidJson = 402;
    public const int InvalidFields = 403;
    public const int NotAllowedToSend = 405;
    public const int JsonRequired = 409;
    public const int TooManyBatchMessages = 410;

    public static PostmarkResult Sent(string to, string id, DateTimeOffset submittedAt) =>
        new(to, submittedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture), id, 0, "OK");

    public static IResult Answer(int status, PostmarkResult result, string? retryAfter = null) =>
        new CompatAnswer(status, result, ("Retry-After", retryAfter));

    public static IResult Invalid(string message) => Answer(StatusCodes.Status422UnprocessableEntity, new PostmarkResult(null, null, null, InvalidEmailRequest, message));

    /// <summary>A refusal of Bridge's in Postmark's shape, with the status Postmark would answer it with.</summary>
    public static IResult Refusal(CompatRefusal refusal)
    {
        var (status, result) = Describe(refusal);
        return Answer(status, result, refusal.RetryAfter);
    }

    /// <summary>What became of one message, as an item of a batch's answer.</summary>
    public static PostmarkResult Item(ApiCaller caller, SubmissionResult result, string? to, DateTimeOffset now) => result is SubmissionResult.Accepted accepted
        ? Sent(to ?? "", accepted.Id, now)
        : Describe(CompatRefusal.Of(SubmissionAnswers.Refusal(caller, result))).Result;

    public static (int Status, PostmarkResult Result) Describe(CompatRefusal refusal)
    {
        var fields = string.Join("; ", refusal.FieldErrors(PostmarkTranslation.FieldName).Select(e => $"{e.Field}: {e.Message}"));
        var (status, code, message) = refusal.Rule switch
        {
            "unauthorized" => (StatusCodes.Status401Unauthorized, BadToken,
                $"No valid server token: send a Bridge API key with the send scope as '{TokenHeader}'."),
            "scope-required" => (StatusCodes.Status401Unauthorized, BadToken, refusal.Detail),
            "sender-not-allowed" => (StatusCodes.Status422UnprocessableEntity, SenderSignatureNotFound, refusal.Detail),
            "validation" => (StatusCodes.Status422UnprocessableEntity, InvalidEmailRequest, $"Invalid email request: {fields}."),
            "bad-json" when fields.Length > 0 => (StatusCodes.Status422UnprocessableEntity, InvalidFields, $"Invalid request field(s) - {fields}."),
            "bad-json" => (StatusCodes.Status422UnprocessableEntity, InvalidJson, refusal.Detail),
            "unsupported-media-type" => (StatusCodes.Status415UnsupportedMediaType, JsonRequired, refusal.Detail),
            "too-large" => (StatusCodes.Status413PayloadTooLarge, InvalidEmailRequest, refusal.Detail),
            // Postmark has no codes for these: the HTTP status stands in, so a client still tells them apart.
            "rate-limited" or "unavailable" => (refusal.Status, refusal.Status, refusal.Detail),
            _ => (refusal.Status, InvalidEmailRequest, refusal.Detail),
        };
        return (status, new PostmarkResult(null, null, null, code, message));
    }
}
