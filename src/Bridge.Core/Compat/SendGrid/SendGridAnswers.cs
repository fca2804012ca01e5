using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat.SendGrid;

/// <summary>
/// SendGrid's answers as its SDKs expect them: <c>202</c> with an empty body and <c>X-Message-Id</c>; errors with
/// Bridge's status and SendGrid's body, <c>{"errors": [{"message", "field", "help"}]}</c>.
/// </summary>
public static class SendGridAnswers
{
    public const string MessageIdHeader = "X-Message-Id";

    /// <summary>Accepted: the Bridge message ids, comma-separated when the mail had several personalizations.</summary>
    public static IResult Accepted(IEnumerable<string> ids) =>
        new CompatAnswer(StatusCodes.Status202Accepted, null, (MessageIdHeader, string.Join(',', ids)));

    public static IResult Errors(int status, IEnumerable<SendGridError> errors, string? retryAfter = null) =>
        new CompatAnswer(status, new SendGridErrors(errors.Distinct().ToList()), ("Retry-After", retryAfter));

    /// <summary>A refusal of Bridge's (gate, body, send path) in SendGrid's shape; field errors of personalization <paramref name="index"/>.</summary>
    public static IResult Refusal(CompatRefusal refusal, int index = 0) => Errors(refusal.Status, Describe(refusal, index), refusal.RetryAfter);

    public static IEnumerable<SendGridError> Describe(CompatRefusal refusal, int index)
    {
        if (refusal.Rule == "unauthorized")
        {
            // SendGrid's own wording, which its users search for; the help says what Bridge wants instead.
            return [new SendGridError("The provided authorization grant is invalid, expired, or revoked", null,
                "Send a Bridge API key with the send scope as 'Authorization: Bearer <key>'.")];
        }

        // A JSON error names the body's own path (from, attachments[0].content); a validation error Bridge's field.
        var fields = refusal.FieldErrors(field => refusal.Rule == "bad-json" ? SendGridTranslation.Dotted(field) : SendGridTranslation.FieldName(field, index))
            .Select(e => new SendGridError(e.Message, e.Field, null))
            .ToList();
        return fields.Count > 0 ? fields : [new SendGridError(refusal.Detail, null, null)];
    }
}
