using System.Net;
using System.Net.Sockets;

namespace Bridge.Core.Deliverability;

/// <summary>
/// The upstream's addresses against DNS blocklists (RFC 5782): <c>&lt;reversed address&gt;.&lt;list&gt;</c> has an
/// A record in 127.0.0.0/8 when the address is listed. A list's refusal (127.255.255.x) or a failed lookup is
/// a warning: it says nothing about the address.
/// </summary>
public sealed class BlocklistCheck(DeliverabilityDns dns, Microsoft.Extensions.Options.IOptions<DnsOptions> options) : IDeliverabilityCheck
{
    public const string Name = "blocklist";

    public async Task<DeliverabilityFinding> CheckAsync(DeliverabilityContext context, CancellationToken cancellationToken)
    {
        var lists = options.Value.BlocklistZones;
        var addresses = context.UpstreamAddresses.Records;
        if (lists.Count == 0)
        {
            return new(Name, FindingVerdict.Skipped, $"No blocklists are configured ({DnsOptions.SectionName}:Blocklists is empty).");
        }

        if (addresses.Count == 0)
        {
            return new(Name, FindingVerdict.Warning, $"The upstream {context.UpstreamHost} did not resolve ({context.UpstreamAddresses.Error ?? "no addresses"}), " +
                                                  "so its addresses could not be checked against blocklists.");
        }

        var lookups = addresses.SelectMany(a => lists.Select(l => (Address: a, List: l, Answer: dns.ARecordsAsync($"{Reversed(a)}.{l}", cancellationToken)))).ToList();
        await Task.WhenAll(lookups.Select(l => l.Answer)).ConfigureAwait(false);
        var listed = new List<string>();
        var unknown = new List<string>();
        var details = new List<string>();
        foreach (var (address, list, pending) in lookups)
        {
            var answer = await pending.ConfigureAwait(false);
            var codes = string.Join(", ", answer.Records);
            if (answer.Failed)
            {
                unknown.Add($"{list}: {answer.Error}");
                details.Add($"{address} on {list}: not checked ({answer.Error})");
            }
            else if (answer.Records.Any(r => r.ToString().StartsWith("127.255.255.", StringComparison.Ordinal)))
            {
                unknown.Add($"{list} refused the query ({codes})");
                details.Add($"{address} on {list}: refused ({codes}); lists such as Spamhaus refuse queries that come through public resolvers");
            }
            else if (answer.Records.Count > 0)
            {
                var reason = await ReasonAsync($"{Reversed(address)}.{list}", cancellationToken).ConfigureAwait(false);
                listed.Add($"{address} on {list}");
                details.Add($"{address} on {list}: LISTED ({codes}){reason}");
            }
            else
            {
                details.Add($"{address} on {list}: not listed");
            }
        }

        if (listed.Count > 0)
        {
            return new(Name, FindingVerdict.Failed, $"The upstream {context.UpstreamHost} sends from a blocklisted address: {string.Join("; ", listed)}. Receivers that use these lists refuse or junk its mail.")
            {
                Fix = "Ask the upstream provider to delist the address (each list's site names the steps) or to move you to a clean one; a shared address is the provider's to fix.",
                Details = details,
            };
        }

        return unknown.Count > 0
            ? new(Name, FindingVerdict.Warning, $"Some blocklists could not be checked: {string.Join("; ", unknown)}.")
            {
                Fix = $"Point {DnsOptions.SectionName}:Servers at a resolver the lists answer (your own, not a public one), or drop the list from {DnsOptions.SectionName}:Blocklists.",
                Details = details,
            }
            : new(Name, FindingVerdict.Passed, $"The upstream's addresses ({string.Join(", ", addresses)}) are on none of {string.Join(", ", lists)}.") { Details = details };
    }

    private async Task<string> ReasonAsync(string name, CancellationToken cancellationToken)
    {
        var reason = await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false);
        return reason.Records.Count > 0 ? $": {reason.Records[0]}" : "";
    }

    /// <summary>1.2.3.4 as 4.3.2.1; an IPv6 address as its 32 nibbles in reverse (RFC 5782 2.4).</summary>
    public static string Reversed(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? string.Join('.', bytes.Reverse())
            : string.Join('.', bytes.SelectMany(b => new[] { b >> 4, b & 0xF }).Reverse().Select(n => n.ToString("x")));
    }
}
