using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat.Postmark;

/// <summary>
/// <c>POST /api/compat/postmark/email</c>: Postmark's single send, on Bridge's send path (the same key, scope,
/// sender rules, limits, idempotency and rates). The key comes as <c>X-Postmark-Server-Token</c>.
/// </summary>
public sealed class PostmarkEmailEndpoint(ApiGate gate, JsonBody body, MessageSubmission submission, TimeProvider time)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var admission = gate.Admit(request, ApiScope.Send, PostmarkAnswers.TokenHeader);
        if (admission.Caller is not { } caller)
        {
            return PostmarkAnswers.Refusal(CompatRefusal.Of(admission.Refusal!));
        }

        if (SubmissionAnswers.ReadIdempotencyKey(request, out var presentedKey) is { } badKey)
        {
            return PostmarkAnswers.Refusal(CompatRefusal.Of(badKey));
        }

        var read = await body.ReadAsync<PostmarkMessage>(request, cancellationToken).ConfigureAwait(false);
        if (read.Problem is not null)
        {
            return PostmarkAnswers.Refusal(CompatRefusal.Of(read.Problem));
        }

        if (PostmarkTranslation.Translate(read.Value!, out var error) is not { } sendRequest)
        {
            return PostmarkAnswers.Invalid(error!);
        }

        try
        {
            var key = presentedKey is null ? null : new IdempotencyKey(presentedKey, read.Sha256);
            var result = await submission.SubmitAsync(caller, sendRequest, key, cancellationToken).ConfigureAwait(false);
            return result is SubmissionResult.Accepted accepted
                ? PostmarkAnswers.Answer(StatusCodes.Status200OK, PostmarkAnswers.Sent(read.Value!.To ?? "", accepted.Id, time.GetUtcNow()))
                : PostmarkAnswers.Refusal(CompatRefusal.Of(SubmissionAnswers.Refusal(caller, result)));
        }
        catch (RequestFailedException)
        {
            return PostmarkAnswers.Refusal(CompatRefusal.Of(Problems.Unavailable("Storage did not accept the message; nothing was queued. Retry shortly.")));
        }
    }
}
