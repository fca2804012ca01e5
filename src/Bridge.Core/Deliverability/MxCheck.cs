
namespace Bridge.Core.Deliverability;

/// <summary>MX of the From domain: receivers distrust a sender domain that cannot receive replies and bounces.</summary>
public sealed class MxCheck(DeliverabilityDns dns) : IDeliverabilityCheck
{
    public const string Name = "mx";

    public async Task<DeliverabilityFinding> CheckAsync(DeliverabilityContext context, CancellationToken cancellationToken)
    {
        var domain = context.Domain;
        var answer = await dns.MxAsync(domain, cancellationToken).ConfigureAwait(false);
        var suggested = new DnsRecordFix(domain, "MX", $"10 mail.{domain}");
        if (answer.Failed)
        {
            return new(Name, FindingVerdict.Failed, $"The MX records of {domain} could not be read: {answer.Error}.")
            {
                Fix = "Check that the domain's DNS servers answer (and Bridge:Dns:Servers, if set).",
            };
        }

        if (answer.NoDomain)
        {
            return new(Name, FindingVerdict.Failed, $"{domain} does not exist in DNS: receivers refuse mail from a domain that does not exist.")
            {
                Fix = $"Send from a domain you own and whose DNS you control, or register {domain} and publish its records.",
                Record = suggested,
            };
        }

        var hosts = answer.Records.OrderBy(r => r.Preference).Select(r => $"{r.Preference} {r.Exchange.Value.TrimEnd('.')}").ToList();
        if (answer.Records.Count == 0)
        {
            return new(Name, FindingVerdict.Warning, $"{domain} has no MX record: replies and bounces to it cannot be delivered, and some receivers score that as spam.")
            {
                Fix = "Publish an MX record for the mail server that receives the domain's mail.",
                Record = suggested,
            };
        }

        if (answer.Records.All(r => r.Exchange.Value is "." or ""))
        {
            return new(Name, FindingVerdict.Warning, $"{domain} publishes a null MX (RFC 7505): it declares it receives no mail, so replies and bounces are lost.")
            {
                Fix = "Send from a domain that receives mail, or replace the null MX with the mail server's record.",
                Details = hosts,
            };
        }

        return new(Name, FindingVerdict.Passed, $"{domain} receives mail at {string.Join(", ", hosts)}.") { Details = hosts };
    }
}
