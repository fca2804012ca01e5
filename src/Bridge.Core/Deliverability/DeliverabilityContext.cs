using System.Net;

namespace Bridge.Core.Deliverability;

/// <summary>What every deliverability check looks at: the From domain, the upstream and its addresses, and Bridge's DKIM keys for the domain.</summary>
public sealed record DeliverabilityContext(
    string Domain,
    string UpstreamHost,
    DnsAnswer<IPAddress> UpstreamAddresses,
    IReadOnlyList<KeyValuePair<string, DkimDomain>> DkimKeys);
