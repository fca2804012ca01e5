namespace Bridge.Core.Messages;

/// <summary>What an idempotency key says about a request.</summary>
public abstract record IdempotencyClaim
{
    private IdempotencyClaim()
    {
    }

    /// <summary>First use: go ahead, with this message id reserved.</summary>
    public sealed record Fresh(string MessageId) : IdempotencyClaim;

    /// <summary>
    /// Seen with the same body: answer with the first message (for a batch: the batch id, with
    /// <paramref name="Results"/> as the first request recorded them).
    /// </summary>
    public sealed record Replay(string MessageId, string? Results = null) : IdempotencyClaim;

    /// <summary>Seen with a different body.</summary>
    public sealed record Conflict : IdempotencyClaim;

    /// <summary>The first request with this key is still being handled.</summary>
    public sealed record InProgress : IdempotencyClaim;
}
