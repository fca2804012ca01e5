namespace Bridge.Core.Outbox;

/// <summary>Queue names as trigger binding expressions, resolved from <c>Bridge:Queue:Name</c> by each host.</summary>
public static class QueueNames
{
    public const string Outbound = "%Bridge:Queue:Name%";
    public const string Poison = "%Bridge:Queue:Name%-poison";
}
