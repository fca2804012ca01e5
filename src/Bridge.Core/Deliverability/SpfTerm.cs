namespace Bridge.Core.Deliverability;

/// <summary>One mechanism of an SPF record (RFC 7208 5): <c>[qualifier]name[:domain][/cidr4][//cidr6]</c>.</summary>
public sealed record SpfTerm(char Qualifier, string Name, string? Target, int? Prefix4, int? Prefix6)
{
    /// <summary>Mechanisms that cost a DNS lookup, counted against the limit of 10 (RFC 7208 4.6.4).</summary>
    public bool CostsLookup => Name is "include" or "a" or "mx" or "ptr" or "exists";

    public override string ToString() => (Qualifier == '+' ? "" : Qualifier.ToString()) + Name + (Target is null ? "" : ":" + Target)
                                         + (Prefix4 is { } p4 ? "/" + p4 : "") + (Prefix6 is { } p6 ? "//" + p6 : "");
}
