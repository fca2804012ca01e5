namespace Bridge.Core.Deliverability;

/// <summary>
/// The DKIM keys, bound from <c>Bridge:Dkim:&lt;name&gt;:Domain|Selector|PrivateKeySecret</c>. The name is
/// letters and digits because app-setting names cannot hold a domain's dots. Two entries for one domain
/// (an RSA key and an Ed25519 key) give the two signatures of RFC 8463.
/// </summary>
public sealed class DkimOptions
{
    public const string SectionName = "Bridge:Dkim";

    public Dictionary<string, DkimDomain> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The keys that sign mail from <paramref name="domain"/>, by name; none for a domain Bridge does not sign for.</summary>
    public IReadOnlyList<KeyValuePair<string, DkimDomain>> For(string? domain) => domain is null
        ? []
        : Keys.Where(k => string.Equals(k.Value.Domain.TrimEnd('.'), domain.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)).ToList();
}
