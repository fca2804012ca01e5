using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Visibility;

/// <summary>
/// <c>GET /api/v1/messages</c>: the caller's messages (admin: everyone's), newest first, filtered and paged;
/// and <c>GET /api/v1/messages/stats</c>: those of the last 24 hours counted by status.
/// </summary>
public sealed class MessageListEndpoint(ApiGate gate, MessageListing listing)
{
    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(request, async caller =>
        {
            var errors = new Dictionary<string, string[]>();
            if (MessageQuery.Parse(request.Query, errors) is not { } query)
            {
                return Problems.Validation(errors);
            }

            var page = await listing.ListAsync(caller, query, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new MessageListView(page.Items.Select(MessageSummary.Of).ToList(), page.Next));
        });

    public Task<IResult> HandleStatsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(request, async caller => TypedResults.Ok(await listing.StatsAsync(caller, cancellationToken).ConfigureAwait(false)));

    private async Task<IResult> AnswerAsync(HttpRequest request, Func<ApiCaller, Task<IResult>> answer)
    {
        var admission = gate.Admit(request, ApiScope.Read);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        try
        {
            return await answer(caller).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            return Problems.Unavailable("Storage did not answer; retry shortly.");
        }
    }
}

/// <summary>The body of <c>GET /api/v1/messages</c>.</summary>
public sealed record MessageListView(IReadOnlyList<MessageSummary> Items, string? Next);

/// <summary>One message in a list: what the index holds. Its timeline is one <c>GET /api/v1/messages/{id}</c> away.</summary>
public sealed record MessageSummary(
    string Id,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string From,
    IReadOnlyList<string> To,
    string Subject,
    IReadOnlyList<string> Tags,
    int Attempts,
    string Profile)
{
    public static MessageSummary Of(IndexEntry e) =>
        new(e.Id, e.Status.ToWire(), e.CreatedAt, e.UpdatedAt, e.From, e.To, e.Subject, e.Tags, e.Attempts, e.Profile);
}
