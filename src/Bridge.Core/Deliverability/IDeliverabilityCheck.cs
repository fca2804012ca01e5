namespace Bridge.Core.Deliverability;

/// <summary>One of the doctor's DNS checks; it never throws for anything DNS answers (or does not).</summary>
public interface IDeliverabilityCheck
{
    Task<DeliverabilityFinding> CheckAsync(DeliverabilityContext context, CancellationToken cancellationToken);
}
