using System.Text.Json.Serialization;
using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Bridge.Core.Messages;

/// <summary>
/// <c>POST /api/v1/messages/batch</c>: up to <see cref="BatchSubmission.MaxItems"/> send requests, answered <c>200</c>
/// with a result per item (<c>202</c> and its id, or its own problem), so one bad item never blocks the rest.
/// </summary>
public sealed class BatchEndpoint(ApiGate gate, JsonBody body, BatchSubmission batches)
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

        var read = await body.ReadAsync<BatchRequest>(request, cancellationToken).ConfigureAwait(false);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        if (read.Value!.Messages is not { Count: > 0 and <= BatchSubmission.MaxItems } messages)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["messages"] = [$"must hold 1 to {BatchSubmission.MaxItems} send requests (got {read.Value.Messages?.Count ?? 0})"],
            });
        }

        if (messages.Any(m => m is null))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["messages"] = ["must not hold null items"] });
        }

        try
        {
            var key = presentedKey is null ? null : new IdempotencyKey(presentedKey, read.Sha256);
            var outcome = await batches.SubmitAsync(caller, messages, key, cancellationToken).ConfigureAwait(false);
            return outcome.Items is { } items
                ? TypedResults.Ok(new BatchResponse(items.Select(item => BatchItemView.Of(caller, item)).ToList()))
                : SubmissionAnswers.Refusal(caller, outcome.Refusal!);
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; nothing of the batch was queued. Retry shortly (with the same Idempotency-Key).");
        }
        finally
        {
            // Every item's MIME is rendered (or the item refused) by now: nothing reads the texts again.
            foreach (var message in messages)
            {
                message.ReleaseBodies();
            }
        }
    }
}

/// <summary>The body of <c>POST /api/v1/messages/batch</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BatchRequest(IReadOnlyList<SendRequest>? Messages);

/// <summary>The batch's answer: one result per item, in the order sent.</summary>
public sealed record BatchResponse(IReadOnlyList<BatchItemView> Results);

/// <summary>One item's result: its HTTP status as if sent alone, with its id or its problem.</summary>
public sealed record BatchItemView(
    int Index,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MessageStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProblemDetails? Problem)
{
    public static BatchItemView Of(ApiCaller caller, BatchItem item)
    {
        if (item.Result is SubmissionResult.Accepted accepted)
        {
            return new BatchItemView(item.Index, StatusCodes.Status202Accepted, accepted.Id, accepted.Status.ToWire(), null);
        }

        var problem = Problems.DetailsOf(SubmissionAnswers.Refusal(caller, item.Result))!;
        return new BatchItemView(item.Index, problem.Status ?? StatusCodes.Status400BadRequest, null, null, problem);
    }
}
