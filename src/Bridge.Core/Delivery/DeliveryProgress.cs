namespace Bridge.Core.Delivery;

/// <summary>The step an attempt has reached, so a failure can be read in its context.</summary>
internal sealed class DeliveryProgress
{
    public SmtpPhase Phase { get; set; } = SmtpPhase.Connect;
}
