namespace Bridge.Core.Events;

/// <summary>
/// One message as the API shows it: what was accepted (never changed afterwards) and its delivery
/// state.
/// </summary>
public sealed record MessageRecord
{
    public string Id => State.Id;
    public required string Owner { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string From { get; init; }
    public required IReadOnlyList<string> To { get; init; }
    public required string Subject { get; init; }
    public required string Profile { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The client's own keys and values (SendGrid's custom args, Postmark's Metadata), returned as sent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = MessageMetadata.None;

    /// <summary>When the client asked it to be sent; null: at once.</summary>
    public DateTimeOffset? SendAt { get; init; }
    public required DeliveryState State { get; init; }
}
