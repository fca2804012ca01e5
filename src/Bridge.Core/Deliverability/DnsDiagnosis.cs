using System.Net;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Deliverability;

/// <summary>
/// The doctor's deliverability checks for one From domain and one upstream: SPF, DKIM, DMARC, MX and
/// blocklists, run side by side, each ending in a finding. Nothing DNS answers (or fails to answer) escapes
/// as an exception.
/// </summary>
public sealed class DnsDiagnosis(DeliverabilityDns dns, DkimSigning signing, IOptions<DkimOptions> dkim, IOptions<DnsOptions> options)
{
    private readonly IReadOnlyList<(string Name, IDeliverabilityCheck Check)> checks =
    [
        (SpfCheck.Name, new SpfCheck(dns)),
        (DkimRecordCheck.Name, new DkimRecordCheck(dns, signing)),
        (DmarcCheck.Name, new DmarcCheck(dns)),
        (MxCheck.Name, new MxCheck(dns)),
        (BlocklistCheck.Name, new BlocklistCheck(dns, options)),
    ];

    public async Task<IReadOnlyList<DeliverabilityFinding>> DiagnoseAsync(string domain, string upstreamHost, CancellationToken cancellationToken)
    {
        var upstream = IPAddress.TryParse(upstreamHost, out var literal)
            ? new DnsAnswer<IPAddress>([literal])
            : await dns.AddressesAsync(upstreamHost, cancellationToken).ConfigureAwait(false);
        var context = new DeliverabilityContext(domain, upstreamHost, upstream, dkim.Value.For(domain));
        return await Task.WhenAll(checks.Select(c => RunAsync(c.Name, c.Check, context, cancellationToken))).ConfigureAwait(false);
    }

    private static async Task<DeliverabilityFinding> RunAsync(string name, IDeliverabilityCheck check, DeliverabilityContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await check.CheckAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A record shape the check did not foresee is still a finding, not a failed request.
            return new DeliverabilityFinding(name, FindingVerdict.Failed, $"The {name} check could not finish: {ErrorText.FirstLine(e.Message)}");
        }
    }
}
