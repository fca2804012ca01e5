using Azure;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat.Postmark;

/// <summary>
/// <c>POST /api/compat/postmark/email</c>: Postmark's single send, on Bridge's send path (the same key, scope,
/// sender rules, limits, idempotency and rates). The key comes as <c>X-Postmark-Server-Token</c>.
/// </summary>
public sealed class PostmarkEmailEndpoint(CompatIntake intake, MessageSubmission submission, TimeProvider time)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var read = await intake.ReadAsync<PostmarkMessage>(request, PostmarkAnswers.TokenHeader, cancellationToken).ConfigureAwait(false);
        if (read.Caller is not { } caller)
        {
            return PostmarkAnswers.Refusal(read.Refusal!);
        }

        if (PostmarkTranslation.Translate(read.Value!, out var error) is not { } sendRequest)
        {
            return PostmarkAnswers.Invalid(error!);
        }

        try
        {
            var result = await submission.SubmitAsync(caller, sendRequest, read.IdempotencyKey, cancellationToken).ConfigureAwait(false);
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
