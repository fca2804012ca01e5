namespace Bridge.Core.Delivery;

/// <summary>What a replay request came to.</summary>
public enum ReplayResult
{
    Replayed,
    NotFound,
    NotPoisoned,
    EnvelopeMissing,
}
