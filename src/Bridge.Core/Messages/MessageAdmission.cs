using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Messages;

/// <summary>The gate of a route about one message (status, cancel, replay): the key first, then the id.</summary>
public static class MessageAdmission
{
    /// <summary>
    /// <see cref="ApiGate.Admit"/>, then an id that cannot be a message's is answered like a message this key does
    /// not have (404): checked after the key, so the answer tells a stranger nothing.
    /// </summary>
    public static Admission AdmitForMessage(this ApiGate gate, HttpRequest request, string scope, string id)
    {
        var admission = gate.Admit(request, scope);
        return admission.Caller is not null && !MessageId.IsWellFormed(id)
            ? new Admission(null, NoSuchMessage(id))
            : admission;
    }

    /// <summary>The one answer for a missing message, another key's message, and an id that is none.</summary>
    public static IResult NoSuchMessage(string id) => Problems.NotFound($"No message '{id}' for this API key.");
}
