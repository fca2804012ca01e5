using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Visibility;

/// <summary><c>GET /api/v1/messages/stats</c>: the caller's messages (admin: everyone's) of the last 24 hours, counted by status.</summary>
public sealed class MessageStatsEndpoint(ApiGate gate, MessageListing listing)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var admission = gate.Admit(request, ApiScope.Read);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        try
        {
            return TypedResults.Ok(await listing.StatsAsync(caller, cancellationToken).ConfigureAwait(false));
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; retry shortly.");
        }
    }
}
