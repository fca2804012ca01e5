using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Suppressions;

/// <summary>
/// <c>GET /api/v1/suppressions?email=&amp;key=</c>, <c>PUT</c> and <c>DELETE /api/v1/suppressions/{email}?key=</c>
/// (scope <c>admin</c>): the addresses each API key no longer sends to. <c>key</c> names the API key; a PUT needs it,
/// a GET or DELETE without it covers every key.
/// </summary>
public sealed class SuppressionsEndpoint(ApiGate gate, SuppressionStore store, IOptions<ApiKeyOptions> keys)
{
    public const int MaxItems = 1000;

    public Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(request, null, async (key, email) =>
        {
            var items = await store.ListAsync(key, email, MaxItems, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new SuppressionList(items.Select(SuppressionView.Of).ToList()));
        });

    public Task<IResult> PutAsync(HttpRequest request, string email, CancellationToken cancellationToken) =>
        AnswerAsync(request, email, async (key, normalized) =>
        {
            if (key is null)
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["key"] = ["is required: name the API key that should no longer send to this address"] });
            }

            var added = await store.AddAsync(key, normalized!, Suppression.Manual, null, null, null, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(SuppressionView.Of(added));
        });

    public Task<IResult> DeleteAsync(HttpRequest request, string email, CancellationToken cancellationToken) =>
        AnswerAsync(request, email, async (key, normalized) =>
        {
            IReadOnlyList<string> owners = key is not null
                ? [key]
                : (await store.ListAsync(null, normalized, MaxItems, cancellationToken).ConfigureAwait(false)).Select(s => s.Key).ToList();
            var removed = 0;
            foreach (var owner in owners)
            {
                removed += await store.RemoveAsync(owner, normalized!, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }

            return removed == 0
                ? Problems.NotFound($"'{normalized}' is not suppressed{(key is null ? "" : $" for key '{key}'")}.")
                : TypedResults.Ok(new SuppressionsRemoved(normalized!, removed));
        });

    /// <summary>Admits an admin, checks <c>key</c> and the address (from the route, or <c>email</c> in the query), then answers.</summary>
    private async Task<IResult> AnswerAsync(HttpRequest request, string? routeEmail, Func<string?, string?, Task<IResult>> answer)
    {
        var admission = gate.Admit(request, ApiScope.Admin);
        if (admission.Caller is null)
        {
            return admission.Refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        string? key = null;
        if (request.Query["key"] is { Count: > 0 } keyValues && keyValues.ToString() is { Length: > 0 } named)
        {
            key = keys.Value.Keys.FirstOrDefault(k => string.Equals(k, named, StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                errors["key"] = [$"'{named}' is not a configured API key"];
            }
        }

        var rawEmail = routeEmail ?? (request.Query["email"] is { Count: > 0 } emailValues ? emailValues.ToString() : null);
        string? email = null;
        if (rawEmail is not null)
        {
            email = SuppressedAddress.Normalize(rawEmail);
            if (email is null)
            {
                errors["email"] = ["is not an email address"];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            return await answer(key, email).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; nothing was changed. Retry shortly.");
        }
    }
}

/// <summary>The body of <c>GET /api/v1/suppressions</c>.</summary>
public sealed record SuppressionList(IReadOnlyList<SuppressionView> Items);

/// <summary>The body of a successful <c>DELETE /api/v1/suppressions/{email}</c>: how many keys' suppressions were removed.</summary>
public sealed record SuppressionsRemoved(string Email, int Removed);

/// <summary>One suppression as the API shows it.</summary>
public sealed record SuppressionView(
    string Key, string Email, string Reason, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string? Status, string? Diagnostic, string? MessageId)
{
    public static SuppressionView Of(Suppression s) => new(s.Key, s.Email, s.Reason, s.CreatedAt, s.ExpiresAt, s.Status, s.Diagnostic, s.MessageId);
}
