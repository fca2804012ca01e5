using Azure;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Visibility;

/// <summary><c>GET /api/v1/messages</c>: the caller's messages (admin: everyone's), newest first, filtered and paged.</summary>
public sealed class MessageListEndpoint(ApiGate gate, MessageListing listing)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var admission = gate.Admit(request, ApiScope.Read);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        if (MessageQuery.Parse(request.Query, errors) is not { } query)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var page = await listing.ListAsync(caller, query, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new MessageListView(page.Items.Select(MessageSummary.Of).ToList(), page.Next));
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
