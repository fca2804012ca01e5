using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Visibility;

/// <summary><c>POST /api/v1/messages/replay</c> (admin): replay poisoned or failed messages by id or by time window.</summary>
public sealed class ReplayManyEndpoint(ApiGate gate, JsonBody body, BulkReplay replay)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var admission = gate.Admit(request, ApiScope.Admin);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        var read = await body.ReadAsync<ReplayRequest>(request, cancellationToken).ConfigureAwait(false);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var replayRequest = read.Value ?? new ReplayRequest();
        var errors = Validate(replayRequest, out var statuses);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var summary = replayRequest.Ids is { Count: > 0 } ids
                ? await replay.ReplayAsync(ids, cancellationToken).ConfigureAwait(false)
                : await replay.ReplayWindowAsync(caller, statuses, replayRequest.Since, replayRequest.Until, cancellationToken).ConfigureAwait(false);
            return TypedResults.Accepted((string?)null, summary);
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; retry shortly.");
        }
    }

    private static Dictionary<string, string[]> Validate(ReplayRequest request, out IReadOnlyList<MessageStatus> statuses)
    {
        var errors = new Dictionary<string, string[]>();
        statuses = request.Status?.Trim().ToLowerInvariant() switch
        {
            null or "" => [MessageStatus.Poisoned, MessageStatus.Failed],
            "poisoned" => [MessageStatus.Poisoned],
            "failed" => [MessageStatus.Failed],
            _ => [],
        };
        if (statuses.Count == 0)
        {
            errors["status"] = ["status must be 'poisoned' or 'failed' (or left out for both)."];
        }

        if (request.Ids is { } ids)
        {
            if (ids.Count > ReplayRequest.MaxMessages)
            {
                errors["ids"] = [$"At most {ReplayRequest.MaxMessages} ids per request."];
            }
            else if (ids.FirstOrDefault(id => !MessageId.IsWellFormed(id ?? "")) is { } bad)
            {
                errors["ids"] = [$"'{bad}' is not a message id."];
            }
            else if (request.Since is not null || request.Until is not null)
            {
                errors["ids"] = ["Give either ids or a time window (since, until), not both."];
            }
        }

        if (request.Since is { } since && request.Until is { } until && since >= until)
        {
            errors["until"] = ["until must be after since."];
        }

        return errors;
    }
}
