
namespace Bridge.Core.Deliverability;

/// <summary>
/// What one deliverability check found: passed, a warning or a failure, what was seen, and the exact fix
/// (for a DNS record: its name, type and value, ready to publish).
/// </summary>
public sealed record DeliverabilityFinding(string Check, FindingVerdict Verdict, string Summary)
{
    /// <summary>The fix in plain words, for a failure or a warning.</summary>
    public string? Fix { get; init; }

    /// <summary>The record to publish (or to publish instead of the one there), when the fix is a DNS record.</summary>
    public DnsRecordFix? Record { get; init; }

    /// <summary>Facts worth showing beside the summary (records seen, per-list answers).</summary>
    public IReadOnlyList<string> Details { get; init; } = [];
}

/// <summary>A DNS record to publish, as a DNS host's form asks for it.</summary>
public sealed record DnsRecordFix(string Name, string Type, string Value)
{
    public override string ToString() => $"{Name} {Type} \"{Value}\"";
}
