namespace Bridge.Core.Visibility;

/// <summary>
/// The body of <c>POST /api/v1/messages/replay</c>: either <see cref="Ids"/>, or a window
/// (<see cref="Since"/>, <see cref="Until"/>, both optional) of messages in <see cref="Status"/>
/// (<c>poisoned</c> or <c>failed</c>; both when absent).
/// </summary>
public sealed record ReplayRequest
{
    /// <summary>Most messages one request replays; a window holding more answers <c>more: true</c>.</summary>
    public const int MaxMessages = 500;

    public string? Status { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public IReadOnlyList<string>? Ids { get; init; }
}

/// <summary>What a bulk replay did: messages put back on the queue, messages left as they were, and whether the window holds more.</summary>
public sealed record ReplaySummary(int Replayed, IReadOnlyList<ReplaySkip> Skipped, bool More);

/// <summary>A message a bulk replay left alone, and why (<c>not-found</c>, <c>not-replayable</c>, <c>envelope-missing</c>).</summary>
public sealed record ReplaySkip(string Id, string Reason);
