namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// Tests that point Azure.Identity's managed identity at a local endpoint through IDENTITY_ENDPOINT and
/// IDENTITY_HEADER. Those are process-wide environment variables, so this collection runs alone,
/// after every parallel one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagedIdentityCollection
{
    public const string Name = "Managed identity (process environment)";
}
