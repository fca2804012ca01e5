using System.Text.Json.Serialization;

namespace Bridge.Core.Outbox;

/// <summary>
/// What travels on the queue: enough to deliver without reading anything else but the secret.
/// The MIME is inline when small; otherwise <see cref="PayloadBlob"/> names it in Blob storage.
/// </summary>
public sealed record OutboxEnvelope
{
    public int V { get; init; } = 1;
    public required string Id { get; init; }
    public required string Profile { get; init; }
    public required string Sender { get; init; }
    public required IReadOnlyList<string> Recipients { get; init; }
    public int Attempt { get; init; } = 1;
    public required DateTimeOffset AcceptedAt { get; init; }

    /// <summary>The API key that sent the message, so delivery can keep the message index current without a read. Older envelopes lack it.</summary>
    public string? Owner { get; init; }
    public string? Mime { get; init; }

    /// <summary>
    /// The MIME Brotli-compressed and base64-encoded, for a message too large to travel as <see cref="Mime"/> that
    /// compresses small enough to travel inline all the same (no payload blob to write, read and delete). Envelopes
    /// queued before it carry <see cref="Mime"/> or <see cref="PayloadBlob"/> and load as they always did.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MimeBrotli { get; init; }

    public string? PayloadBlob { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the accepting request's enqueue span, so delivery continues its trace.
    /// Optional: an envelope queued before tracing (or while it was off) delivers all the same.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    /// <summary>When the client asked it to be sent (the queue hides it until then); null: at once.</summary>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>Where the message's age is counted from: it cannot be late before it is due.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset DueAt => SendAt is { } at && at > AcceptedAt ? at : AcceptedAt;
}
