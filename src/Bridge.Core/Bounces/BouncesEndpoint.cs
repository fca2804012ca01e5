using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using MimeKit;

namespace Bridge.Core.Bounces;

/// <summary>
/// <c>POST /api/v1/bounces</c> (scope <c>admin</c>): a DSN handed over HTTP, for mailbox providers that forward bounces
/// by webhook. The body is the DSN mail (<c>message/rfc822</c>) or its report alone (<c>multipart/report</c>, with the
/// boundary in Content-Type). Read by the same <see cref="BounceRecorder"/> as the bounce mailboxes: <c>200</c> with the
/// outcome when the DSN was matched, <c>422</c> (problem, with the outcome) when it matches nothing or cannot be read.
/// </summary>
public sealed class BouncesEndpoint(ApiGate gate, JsonBody bodies, BounceRecorder recorder)
{
    public const string Source = "http";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var admission = gate.Admit(request, ApiScope.Admin);
        if (admission.Caller is null)
        {
            return admission.Refusal!;
        }

        if (!ContentType.TryParse(request.ContentType ?? "", out var type)
            || !(type.IsMimeType("message", "rfc822") || type.IsMimeType("multipart", "report")))
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be a DSN.",
                "Send the DSN mail as 'Content-Type: message/rfc822', or its report as 'multipart/report; report-type=delivery-status; boundary=...'.");
        }

        var raw = await bodies.ReadRawAsync(request, cancellationToken).ConfigureAwait(false);
        if (raw.Problem is { } tooLarge)
        {
            return tooLarge;
        }

        try
        {
            var result = await recorder.RecordAsync(await LoadAsync(type, raw.Bytes, cancellationToken).ConfigureAwait(false), Source, cancellationToken)
                .ConfigureAwait(false);
            var view = new BounceView(result.Outcome.ToWire(), result.Detail, result.MessageId,
                (result.Recipients ?? []).Select(r => new BouncedRecipientView(r.Email, r.Status, r.Diagnostic, r.Suppressed)).ToList());
            return result.Outcome.IsHandled()
                ? TypedResults.Ok(view)
                : Problems.Problem(StatusCodes.Status422UnprocessableEntity, "bounce-" + view.Outcome,
                    result.Outcome == BounceOutcome.Malformed ? "The body is not a readable DSN." : "The DSN matches no message.",
                    result.Detail, extensions: new Dictionary<string, object?> { ["outcome"] = view.Outcome });
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; the DSN was not recorded. Retry shortly.");
        }
    }

    /// <summary>A report alone has its boundary in the request's Content-Type, so it is read with that type, as a part.</summary>
    private static async Task<MimeEntity?> LoadAsync(ContentType type, byte[] body, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(body, writable: false);
        try
        {
            return type.IsMimeType("message", "rfc822")
                ? (await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false)).Body
                : await MimeEntity.LoadAsync(type, stream, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            // MimeKit's ParseException is a FormatException: the recorder counts it malformed.
            return null;
        }
    }
}

/// <summary>The body of <c>POST /api/v1/bounces</c>: the outcome, in words, and the failed recipients of the matched message.</summary>
public sealed record BounceView(string Outcome, string Detail, string? MessageId, IReadOnlyList<BouncedRecipientView> Recipients);

/// <summary>One failed recipient of a DSN, and whether its address is now suppressed.</summary>
public sealed record BouncedRecipientView(string Email, string? Status, string? Diagnostic, bool Suppressed);
