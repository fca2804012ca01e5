namespace Bridge.Core.Delivery;

/// <summary>What a replay request came to.</summary>
public enum ReplayResult
{
    Replayed,
    NotFound,
    /// <summary>Neither poisoned nor failed: it is on its way or done.</summary>
    NotReplayable,
    EnvelopeMissing,
}
