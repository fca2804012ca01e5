using Azure;

namespace Bridge.Core.Events;

/// <summary>
/// The part of a message that delivery changes: its state row. Everything else about the message is
/// written once at accept time, so delivery can replace this row (under its ETag) without having read
/// the rest. Accept writes no state row: the first change creates it.
/// </summary>
public sealed record DeliveryState
{
    public required string Id { get; init; }
    public required MessageStatus Status { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public int Attempts { get; init; }
    public SmtpReply? LastReply { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Some recipients have the message while others are still being retried.</summary>
    public bool PartiallySent { get; init; }

    /// <summary>While sending, until when the worker holds the message; a copy that arrives earlier waits.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Whether a worker holds the message at <paramref name="now"/>: it is sending, under a lease not yet run out.</summary>
    public bool IsLeasedAt(DateTimeOffset now) => Status == MessageStatus.Sending && now < LeaseUntil;

    /// <summary>The last unexpected error while handling the message (a crash, not an SMTP answer).</summary>
    public string? LastError { get; init; }

    /// <summary>How many events have been written after <c>accepted</c>; the next event takes this number.</summary>
    public int EventCount { get; init; }

    /// <summary>The key that sent the message, when known (older state rows lack it); with <see cref="CreatedAt"/> it locates the message's index row.</summary>
    public string? Owner { get; init; }

    /// <summary>When the message was accepted, when known.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The status the message index holds for this message as far as this copy knows; null when unknown. Not stored.</summary>
    public MessageStatus? IndexedStatus { get; init; }

    /// <summary>The version read from storage; updates are guarded by it. None: the state row was never written.</summary>
    public ETag ETag { get; init; }

    /// <summary>A message just accepted: queued, with no event after <c>accepted</c> yet and no state row.</summary>
    public static DeliveryState Accepted(string id, DateTimeOffset acceptedAt, string? owner = null) => new()
    {
        Id = id, Status = MessageStatus.Queued, UpdatedAt = acceptedAt, Owner = owner, CreatedAt = acceptedAt,
        IndexedStatus = MessageStatus.Queued,
    };
}
