namespace Bridge.Infra.Tests.Arm;

/// <summary>
/// A value only Azure knows at deployment time, such as an identity's principal id, kept
/// as readable text: <c>reference(Microsoft.ManagedIdentity/userAssignedIdentities/id-x).principalId</c>.
/// Two settings that name the same symbol come from the same resource property.
/// </summary>
public sealed record Symbol(string Text)
{
    public Symbol Property(string name) => new($"{Text}.{name}");

    public override string ToString() => Text;
}
