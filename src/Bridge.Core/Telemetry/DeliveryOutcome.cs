namespace Bridge.Core.Telemetry;

/// <summary>How a delivery attempt ended, as counted and tagged.</summary>
public enum DeliveryOutcome
{
    Sent,
    Deferred,
    Failed,
}

public static class DeliveryOutcomeNames
{
    public static string ToWire(this DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Sent => "sent",
        DeliveryOutcome.Deferred => "deferred",
        _ => "failed",
    };
}
