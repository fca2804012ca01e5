using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Messages;

/// <summary><c>POST /api/v1/messages</c>: authenticate, read, submit, answer.</summary>
public sealed class SendEndpoint(ApiGate gate, JsonBody body, MessageSubmission submission)
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

        var read = await body.ReadAsync<SendRequest>(request, cancellationToken).ConfigureAwait(false);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var idempotencyKey = presentedKey is null ? null : new IdempotencyKey(presentedKey, read.Sha256);

        try
        {
            var result = await submission.SubmitAsync(caller, read.Value!, idempotencyKey, cancellationToken).ConfigureAwait(false);
            return result is SubmissionResult.Accepted accepted
                ? AcceptedMessage.Result(accepted.Id, accepted.Status.ToWire())
                : SubmissionAnswers.Refusal(caller, result);
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not accept the message; nothing was queued. Retry shortly.");
        }
    }

}

