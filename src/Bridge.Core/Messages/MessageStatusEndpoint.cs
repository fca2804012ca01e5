using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Messages;

/// <summary><c>GET /api/v1/messages/{id}</c>: the message's state and timeline, for the key that sent it.</summary>
public sealed class MessageStatusEndpoint(ApiGate gate, MessageStore store)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var admission = gate.AdmitForMessage(request, ApiScope.Read, id);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        var notFound = MessageAdmission.NoSuchMessage(id);

        try
        {
            var timeline = await store.GetTimelineAsync(id, cancellationToken).ConfigureAwait(false);

            // Another key's message looks exactly like a missing one.
            return timeline is null || !caller.MayRead(timeline.Message.Owner)
                ? notFound
                : TypedResults.Ok(MessageView.Of(timeline));
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; retry shortly.");
        }
    }
}
