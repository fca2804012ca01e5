using Bridge.Core.Auth;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat;

/// <summary>
/// What every drop-in endpoint does first, as <c>POST /v1/messages</c> does: the key and its <c>send</c> scope and
/// rate (from the API's own key header where it has one), the optional <c>Idempotency-Key</c>, and the JSON body
/// within the size limit. A refusal comes back taken apart, for the endpoint to word in its API's shape.
/// </summary>
public sealed class CompatIntake(ApiGate gate, JsonBody body)
{
    public async Task<CompatRead<T>> ReadAsync<T>(HttpRequest request, string? ownKeyHeader, CancellationToken cancellationToken)
        where T : class
    {
        var admission = gate.Admit(request, ApiScope.Send, ownKeyHeader);
        if (admission.Caller is not { } caller)
        {
            return Refused<T>(admission.Refusal!);
        }

        if (SubmissionAnswers.ReadIdempotencyKey(request, out var presentedKey) is { } badKey)
        {
            return Refused<T>(badKey);
        }

        var read = await body.ReadAsync<T>(request, cancellationToken).ConfigureAwait(false);
        return read.Problem is not null
            ? Refused<T>(read.Problem)
            : new CompatRead<T>(caller, read.Value, presentedKey is null ? null : new IdempotencyKey(presentedKey, read.Sha256), null);
    }

    private static CompatRead<T> Refused<T>(IResult problem)
        where T : class => new(null, null, null, CompatRefusal.Of(problem));
}

/// <summary>The admitted caller, the body and its idempotency key; or the refusal.</summary>
public sealed record CompatRead<T>(ApiCaller? Caller, T? Value, IdempotencyKey? IdempotencyKey, CompatRefusal? Refusal)
    where T : class;
