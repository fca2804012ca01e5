namespace Bridge.Core.Housekeeping;

/// <summary>Bound from <c>Bridge:Payloads</c>: how long claim-checked payloads may outlive their message.</summary>
public sealed class PayloadRetentionOptions
{
    public const string SectionName = "Bridge:Payloads";

    /// <summary>
    /// Payloads older than this are removed by the sweep. Finished messages delete theirs at once;
    /// what remains is a poisoned message's (kept this long for replay) or an orphan.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
