using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Messages;

/// <summary>
/// <c>POST /api/v1/messages</c>: authenticate, read (JSON, or multipart with binary file parts), submit, answer.
/// </summary>
public sealed class SendEndpoint(ApiGate gate, JsonBody body, MultipartSendBody multipart, MessageSubmission submission)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var admission = gate.Admit(request, ApiScope.Send);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        if (SubmissionAnswers.ReadIdempotencyKey(request, out var presentedKey) is { } badKey)
        {
            return badKey;
        }

        if (MultipartSendBody.IsMultipart(request))
        {
            // The spooled files stay until the submission has rendered them into the stored MIME.
            await using var upload = await multipart.ReadAsync(request, cancellationToken).ConfigureAwait(false);
            return upload.Problem ?? await SubmitAsync(caller, upload.Value!, upload.Sha256, presentedKey, cancellationToken).ConfigureAwait(false);
        }

        if (request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaTypeOrMultipart();
        }

        var read = await body.ReadAsync<SendRequest>(request, cancellationToken).ConfigureAwait(false);
        return read.Problem ?? await SubmitAsync(caller, read.Value!, read.Sha256, presentedKey, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IResult> SubmitAsync(ApiCaller caller, SendRequest sendRequest, string sha256, string? presentedKey, CancellationToken cancellationToken)
    {
        var idempotencyKey = presentedKey is null ? null : new IdempotencyKey(presentedKey, sha256);

        try
        {
            var result = await submission.SubmitAsync(caller, sendRequest, idempotencyKey, cancellationToken).ConfigureAwait(false);
            return result is SubmissionResult.Accepted accepted
                ? AcceptedMessage.Result(accepted.Id, accepted.Status.ToWire())
                : SubmissionAnswers.Refusal(caller, result);
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not accept the message; nothing was queued. Retry shortly.");
        }
        finally
        {
            // The MIME is rendered (or the message refused) by now: nothing reads the text again.
            sendRequest.ReleaseBodies();
        }
    }
}

