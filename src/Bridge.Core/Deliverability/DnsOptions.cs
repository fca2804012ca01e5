namespace Bridge.Core.Deliverability;

/// <summary>How the doctor's deliverability checks ask DNS, bound from <c>Bridge:Dns</c>.</summary>
public sealed class DnsOptions
{
    public const string SectionName = "Bridge:Dns";

    /// <summary>Comma-separated <c>ip[:port]</c> resolvers; empty uses the system's.</summary>
    public string? Servers { get; set; }

    /// <summary>Comma-separated DNS blocklist zones the upstream's addresses are looked up in.</summary>
    public string? Blocklists { get; set; } = "zen.spamhaus.org,bl.spamcop.net";

    /// <summary>Seconds one query may take (it is tried twice), so a silent resolver cannot hold the doctor.</summary>
    public int TimeoutSeconds { get; set; } = 3;

    public IReadOnlyList<string> BlocklistZones => ConfigList.Split(Blocklists);

    /// <summary>The servers as endpoints (port 53 when none is given); null when one does not parse.</summary>
    public IReadOnlyList<System.Net.IPEndPoint>? ServerEndpoints()
    {
        var endpoints = new List<System.Net.IPEndPoint>();
        foreach (var text in ConfigList.Split(Servers))
        {
            if (!System.Net.IPEndPoint.TryParse(text, out var endpoint))
            {
                return null;
            }

            endpoints.Add(endpoint.Port == 0 ? new System.Net.IPEndPoint(endpoint.Address, 53) : endpoint);
        }

        return endpoints;
    }
}
