using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat.SendGrid;

/// <summary>
/// <c>POST /api/compat/sendgrid/v3/mail/send</c>: SendGrid's mail send, on Bridge's send path (the same key, scope,
/// sender rules, limits, idempotency and rates). Each personalization becomes one message. As at SendGrid, a mail is
/// accepted whole or refused whole: every personalization is checked before any is queued.
/// </summary>
public sealed class SendGridEndpoint(CompatIntake intake, MessageSubmission submission, BatchSubmission batches)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // SendGrid's SDKs send the key as a bearer token, which the gate reads anyway.
        var read = await intake.ReadAsync<SendGridMail>(request, null, cancellationToken).ConfigureAwait(false);
        if (read.Caller is not { } caller)
        {
            return SendGridAnswers.Refusal(read.Refusal!);
        }

        if (read.Value!.Personalizations is { Count: > BatchSubmission.MaxItems } many)
        {
            return SendGridAnswers.Errors(StatusCodes.Status400BadRequest, [new SendGridError(
                $"Bridge takes at most {BatchSubmission.MaxItems} personalizations in one request (got {many.Count}); split the mail.",
                "personalizations", null)]);
        }

        var errors = new List<SendGridError>();
        var requests = SendGridTranslation.Translate(read.Value, errors);
        if (errors.Count > 0)
        {
            return SendGridAnswers.Errors(StatusCodes.Status400BadRequest, errors);
        }

        if (Check(caller, requests) is { } refused)
        {
            return refused;
        }

        var key = read.IdempotencyKey;
        try
        {
            return requests.Count == 1
                ? Answer(caller, [await submission.SubmitAsync(caller, requests[0], key, cancellationToken).ConfigureAwait(false)])
                : await SubmitManyAsync(caller, requests, key, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            return SendGridAnswers.Refusal(CompatRefusal.Of(Problems.Unavailable("Storage did not accept the mail; nothing was queued. Retry shortly.")));
        }
    }

    /// <summary>Every personalization's validation and sender rules, before anything is queued; null when all pass.</summary>
    private IResult? Check(ApiCaller caller, IReadOnlyList<SendRequest> requests)
    {
        var refusals = requests
            .Select((request, index) => (Index: index, Refusal: submission.Check(caller, request).Refusal))
            .Where(r => r.Refusal is not null)
            .Select(r => (r.Index, Refusal: CompatRefusal.Of(SubmissionAnswers.Refusal(caller, r.Refusal!))))
            .ToList();
        if (refusals.Count == 0)
        {
            return null;
        }

        // A bad field is the client's to fix first (400); a sender rule (403) only when every field is right.
        var status = refusals.Min(r => r.Refusal.Status);
        return SendGridAnswers.Errors(status, refusals.Where(r => r.Refusal.Status == status).SelectMany(r => SendGridAnswers.Describe(r.Refusal, r.Index)));
    }

    private async Task<IResult> SubmitManyAsync(ApiCaller caller, IReadOnlyList<SendRequest> requests, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var outcome = await batches.SubmitAsync(caller, requests, key, cancellationToken).ConfigureAwait(false);
        return outcome.Items is { } items
            ? Answer(caller, items.Select(i => i.Result).ToList())
            : SendGridAnswers.Refusal(CompatRefusal.Of(SubmissionAnswers.Refusal(caller, outcome.Refusal!)));
    }

    /// <summary>
    /// 202 when every personalization was queued. Otherwise (the rate, the daily cap or storage stopped some after
    /// the checks) the first refusal's status, an error per personalization not queued, and the ids of those that
    /// were, so a client knows what not to send again.
    /// </summary>
    private static IResult Answer(ApiCaller caller, List<SubmissionResult> results)
    {
        var accepted = results.OfType<SubmissionResult.Accepted>().Select(a => a.Id).ToList();
        if (accepted.Count == results.Count)
        {
            return SendGridAnswers.Accepted(accepted);
        }

        var refused = results
            .Select((result, index) => (Index: index, Result: result))
            .Where(r => r.Result is not SubmissionResult.Accepted)
            .Select(r => (r.Index, Refusal: CompatRefusal.Of(SubmissionAnswers.Refusal(caller, r.Result))))
            .ToList();
        var first = refused[0].Refusal;
        var help = accepted.Count == 0 ? null : $"Queued all the same: {string.Join(", ", accepted)}.";
        return new CompatAnswer(first.Status,
            new SendGridErrors(refused.Select(r => new SendGridError(r.Refusal.Detail, $"personalizations.{r.Index}", help)).ToList()),
            ("Retry-After", first.RetryAfter), (SendGridAnswers.MessageIdHeader, accepted.Count == 0 ? null : string.Join(',', accepted)));
    }
}
