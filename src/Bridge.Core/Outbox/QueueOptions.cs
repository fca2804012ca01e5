namespace Bridge.Core.Outbox;

/// <summary>Bound from <c>Bridge:Queue</c>.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Bridge:Queue";
    public const string DefaultName = "outbound-mail";

    public string Name { get; set; } = DefaultName;

    public string PoisonName => Name + "-poison";
}
