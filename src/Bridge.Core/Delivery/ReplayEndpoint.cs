using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Delivery;

/// <summary><c>POST /api/v1/messages/{id}/replay</c> (admin): put a poisoned or failed message back on the queue.</summary>
public sealed class ReplayEndpoint(ApiGate gate, PoisonReplay replay)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var admission = gate.AdmitForMessage(request, ApiScope.Admin, id);
        if (admission.Caller is null)
        {
            return admission.Refusal!;
        }

        try
        {
            return await replay.ReplayAsync(id, cancellationToken).ConfigureAwait(false) switch
            {
                ReplayResult.Replayed => AcceptedMessage.Result(id),
                ReplayResult.NotFound => MessageAdmission.NoSuchMessage(id),
                ReplayResult.NotReplayable => Problems.Problem(StatusCodes.Status409Conflict, "not-replayable",
                    "Only poisoned or failed messages can be replayed.", $"Message '{id}' is neither poisoned nor failed; see its status for where it is."),
                _ => Problems.Problem(StatusCodes.Status409Conflict, "envelope-missing",
                    "The saved envelope is gone.", $"Message '{id}' has no saved envelope to replay (it may have expired)."),
            };
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; retry shortly.");
        }
    }
}
