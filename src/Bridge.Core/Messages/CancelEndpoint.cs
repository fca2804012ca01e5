using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Messages;

/// <summary><c>DELETE /api/v1/messages/{id}</c> (scope <c>send</c>): cancel a scheduled or queued message of this key.</summary>
public sealed class CancelEndpoint(ApiGate gate, MessageCancellation cancellation)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var admission = gate.AdmitForMessage(request, ApiScope.Send, id);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        var notFound = MessageAdmission.NoSuchMessage(id);

        try
        {
            return await cancellation.CancelAsync(caller, id, cancellationToken).ConfigureAwait(false) switch
            {
                CancelResult.Canceled canceled => TypedResults.Ok(new CanceledMessage(id, MessageStatus.Canceled.ToWire(), canceled.At,
                    new MessageLinks(ApiRoutes.MessageLocation(id)))),
                CancelResult.TooLate late => Problems.Problem(StatusCodes.Status409Conflict, "not-cancelable",
                    "The message can no longer be canceled.",
                    $"Message '{id}' is {late.Status.ToWire()}: only a scheduled or queued message can be canceled."),
                _ => notFound,
            };
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; nothing was canceled. Retry shortly.");
        }
    }
}

/// <summary>The body of a successful cancel.</summary>
public sealed record CanceledMessage(string Id, string Status, DateTimeOffset CanceledAt, MessageLinks Links);
