using Azure;
using Bridge.Core.Messages;

namespace Bridge.Core.Events;

/// <summary>The current state of one message, as stored beside its events.</summary>
public sealed record MessageRecord
{
    public required string Id { get; init; }
    public required string Owner { get; init; }
    public required MessageStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required string From { get; init; }
    public required IReadOnlyList<string> To { get; init; }
    public required string Subject { get; init; }
    public required string Profile { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public int Attempts { get; init; }
    public SmtpReply? LastReply { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Some recipients have the message while others are still being retried.</summary>
    public bool PartiallySent { get; init; }

    /// <summary>While sending, until when the worker holds the message; a copy that arrives earlier waits.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>The last unexpected error while handling the message (a crash, not an SMTP answer).</summary>
    public string? LastError { get; init; }

    /// <summary>How many events the timeline holds; the next event takes this number.</summary>
    public int EventCount { get; init; }

    /// <summary>The version read from storage; updates are guarded by it.</summary>
    public ETag ETag { get; init; }
}
