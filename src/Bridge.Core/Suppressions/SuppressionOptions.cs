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

    /// <summary>
    /// How long an instance trusts that a key has no suppressions at all, before it asks storage again (0: it looks
    /// up every delivery's recipients). Most keys have none, and the lookup was one storage request in eight per
    /// message. A suppression recorded on this instance counts at once; one recorded on another instance counts here
    /// within this time, for a key that had none before.
    /// </summary>
    public int AbsenceCacheSeconds { get; set; } = 30;

    public TimeSpan AbsenceCache => TimeSpan.FromSeconds(AbsenceCacheSeconds);
}
