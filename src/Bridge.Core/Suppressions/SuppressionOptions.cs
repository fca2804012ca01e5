namespace Bridge.Core.Suppressions;

/// <summary>Bound from <c>Bridge:Suppressions</c>.</summary>
public sealed class SuppressionOptions
{
    public const string SectionName = "Bridge:Suppressions";

    /// <summary>
    /// How many days a suppression lasts; null (the default) keeps it until it is deleted. A mailbox that did not
    /// exist may be created later, so some senders prefer to try again after a while.
    /// </summary>
    public int? Days { get; set; }

    public TimeSpan? Lifetime => Days is { } days ? TimeSpan.FromDays(days) : null;
}
