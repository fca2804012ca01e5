using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Http;

/// <summary>The 202 body: the message is queued; its status lives at <see cref="MessageLinks.Self"/>.</summary>
public sealed record AcceptedMessage(string Id, string Status, MessageLinks Links)
{
    public static IResult Result(string id, string status = "queued")
    {
        var location = ApiRoutes.MessageLocation(id);
        return TypedResults.Accepted(location, new AcceptedMessage(id, status, new MessageLinks(location)));
    }
}

/// <summary>Where to look next.</summary>
public sealed record MessageLinks(string Self);
