using Azure;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat.Postmark;

/// <summary>
/// <c>POST /api/compat/postmark/email/batch</c>: up to 500 Postmark messages, answered <c>200</c> with an array of a
/// result per message (<c>ErrorCode</c> 0 and its id, or its own error code), as Postmark does: one bad message
/// never blocks the rest. Bridge's batch path takes the good ones (one rate and cap check, shared storage work).
/// </summary>
public sealed class PostmarkBatchEndpoint(CompatIntake intake, BatchSubmission batches, TimeProvider time)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var read = await intake.ReadAsync<List<PostmarkMessage?>>(request, PostmarkAnswers.TokenHeader, cancellationToken).ConfigureAwait(false);
        if (read.Caller is not { } caller)
        {
            return PostmarkAnswers.Refusal(read.Refusal!);
        }

        var messages = read.Value!;
        if (messages.Count is 0 or > BatchSubmission.MaxItems)
        {
            return PostmarkAnswers.Answer(StatusCodes.Status422UnprocessableEntity, new PostmarkResult(null, null, null,
                messages.Count == 0 ? PostmarkAnswers.InvalidEmailRequest : PostmarkAnswers.TooManyBatchMessages,
                $"A batch holds 1 to {BatchSubmission.MaxItems} messages (got {messages.Count})."));
        }

        // Messages that cannot become send requests answer for themselves; the rest go to the batch path together.
        var results = new PostmarkResult?[messages.Count];
        var sendable = new List<(int Index, SendRequest Request)>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not { } message)
            {
                results[i] = new PostmarkResult(null, null, null, PostmarkAnswers.InvalidFields, "Invalid request field(s) - a message must be an object.");
            }
            else if (PostmarkTranslation.Translate(message, out var error) is { } sendRequest)
            {
                sendable.Add((i, sendRequest));
            }
            else
            {
                results[i] = new PostmarkResult(null, null, null, PostmarkAnswers.InvalidEmailRequest, error!);
            }
        }

        try
        {
            if (sendable.Count > 0)
            {
                var outcome = await batches.SubmitAsync(caller, sendable.Select(s => s.Request).ToList(), read.IdempotencyKey, cancellationToken).ConfigureAwait(false);
                if (outcome.Items is not { } items)
                {
                    return PostmarkAnswers.Refusal(CompatRefusal.Of(SubmissionAnswers.Refusal(caller, outcome.Refusal!)));
                }

                var now = time.GetUtcNow();
                foreach (var item in items)
                {
                    var index = sendable[item.Index].Index;
                    results[index] = PostmarkAnswers.Item(caller, item.Result, messages[index]!.To, now);
                }
            }

            return new CompatAnswer(StatusCodes.Status200OK, results);
        }
        catch (RequestFailedException)
        {
            return PostmarkAnswers.Refusal(CompatRefusal.Of(Problems.Unavailable("Storage did not answer; nothing of the batch was queued. Retry shortly.")));
        }
    }
}
