using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Deliverability;

/// <summary>
/// The doctor's DNS client (DnsClient): the resolvers of <c>Bridge:Dns:Servers</c> or the system's, no cache
/// (the doctor must see a record just published), bounded timeouts, and every failure an answer.
/// </summary>
public sealed class DeliverabilityDns
{
    private readonly LookupClient client;

    public DeliverabilityDns(IOptions<DnsOptions> options)
    {
        var dns = options.Value;
        var servers = dns.ServerEndpoints() ?? [];
        var lookup = servers.Count > 0 ? new LookupClientOptions(servers.Select(s => new NameServer(s)).ToArray()) : new LookupClientOptions();
        lookup.UseCache = false;
        lookup.Timeout = TimeSpan.FromSeconds(dns.TimeoutSeconds);
        lookup.Retries = 1;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        client = new LookupClient(lookup);
        Servers = servers.Count > 0 ? string.Join(", ", servers) : "the system's resolver";
        TimeoutSeconds = dns.TimeoutSeconds;
    }

    /// <summary>Who is asked, for findings that say a lookup failed.</summary>
    public string Servers { get; }

    public int TimeoutSeconds { get; }

    /// <summary>TXT records, each with its strings joined (a long record comes as several strings of at most 255 bytes).</summary>
    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.TXT, r => r.Answers.TxtRecords().Select(t => string.Concat(t.Text)), cancellationToken);

    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.MX, r => r.Answers.MxRecords(), cancellationToken);

    /// <summary>A and AAAA records together; an error on either is the answer's error.</summary>
    public async Task<DnsAnswer<IPAddress>> AddressesAsync(string name, CancellationToken cancellationToken)
    {
        var v4 = QueryAsync(name, QueryType.A, r => r.Answers.ARecords().Select(a => a.Address), cancellationToken);
        var v6 = QueryAsync(name, QueryType.AAAA, r => r.Answers.AaaaRecords().Select(a => a.Address), cancellationToken);
        var (a, aaaa) = (await v4.ConfigureAwait(false), await v6.ConfigureAwait(false));
        return new DnsAnswer<IPAddress>([.. a.Records, .. aaaa.Records], a.Error ?? aaaa.Error, a.NoDomain && aaaa.NoDomain);
    }

    /// <summary>A records only (blocklists answer in A records).</summary>
    public Task<DnsAnswer<IPAddress>> ARecordsAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.A, r => r.Answers.ARecords().Select(a => a.Address), cancellationToken);

    private async Task<DnsAnswer<T>> QueryAsync<T>(
        string name, QueryType type, Func<IDnsQueryResponse, IEnumerable<T>> records, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError => new DnsAnswer<T>(records(response).ToList()),
                DnsHeaderResponseCode.NotExistentDomain => new DnsAnswer<T>([], NoDomain: true),
                var code => new DnsAnswer<T>([], $"{type} {name}: the resolver answered {code} ({Servers})"),
            };
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return new DnsAnswer<T>([], $"{type} {name}: no answer within {TimeoutSeconds} s (twice) from {Servers}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new DnsAnswer<T>([], $"{type} {name}: {ErrorText.FirstLine(e.Message)} ({Servers})");
        }
    }
}
