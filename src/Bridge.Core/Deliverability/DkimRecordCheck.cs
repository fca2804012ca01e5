using Bridge.Core.Secrets;

namespace Bridge.Core.Deliverability;

/// <summary>
/// DKIM of the From domain: for each key Bridge signs with, the selector's TXT record exists and holds the
/// public half of the configured private key. The fix is the record, derived from that key.
/// </summary>
public sealed class DkimRecordCheck(DeliverabilityDns dns, DkimSigning signing) : IDeliverabilityCheck
{
    public const string Name = "dkim";

    public async Task<DeliverabilityFinding> CheckAsync(DeliverabilityContext context, CancellationToken cancellationToken)
    {
        if (context.DkimKeys.Count == 0)
        {
            return new(Name, FindingVerdict.Warning, $"Bridge does not sign mail from {context.Domain} (no {DkimOptions.SectionName} key for it); " +
                                                  "DMARC then depends on the upstream's own signature or on SPF alone.")
            {
                Fix = $"Generate a key and set {DkimOptions.SectionName}:<name>:Domain={context.Domain}, :Selector and :PrivateKeySecret " +
                      "(docs/deliverability.md), unless the upstream signs with your domain (SendGrid, Mailgun and Microsoft 365 can).",
            };
        }

        var findings = new List<DeliverabilityFinding>();
        foreach (var (name, entry) in context.DkimKeys)
        {
            findings.Add(await CheckKeyAsync(name, entry, cancellationToken).ConfigureAwait(false));
        }

        var worst = findings.MaxBy(f => Severity(f.Verdict))!;
        return findings.Count == 1 ? worst : worst with { Details = [.. findings.SelectMany(f => f.Details.Prepend(f.Summary))] };
    }

    private async Task<DeliverabilityFinding> CheckKeyAsync(string name, DkimDomain entry, CancellationToken cancellationToken)
    {
        DkimPrivateKey key;
        try
        {
            key = await signing.KeyAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SecretNotFoundException or FormatException)
        {
            return new(Name, FindingVerdict.Failed, $"The key of {DkimOptions.SectionName}:{name} cannot be read: {e.Message}")
            {
                Fix = $"Store the PEM private key in the secret named by {DkimOptions.SectionName}:{name}:PrivateKeySecret ('{entry.PrivateKeySecret}').",
            };
        }

        var record = new DnsRecordFix(entry.RecordName, "TXT", key.RecordValue);
        var answer = await dns.TxtAsync(entry.RecordName, cancellationToken).ConfigureAwait(false);
        if (answer.Failed)
        {
            return new(Name, FindingVerdict.Failed, $"The DKIM record {entry.RecordName} could not be read: {answer.Error}. Receivers could not verify the signature.")
            {
                Fix = "Check that the domain's DNS servers answer (and Bridge:Dns:Servers, if set).",
            };
        }

        var published = answer.Records.Select(DkimTags.Parse).Where(t => t.ContainsKey("p")).ToList();
        if (published.Count == 0)
        {
            return new(Name, FindingVerdict.Failed, $"There is no DKIM key at {entry.RecordName}: receivers cannot verify Bridge's {key.KeyType} signature for {entry.Domain}.")
            {
                Fix = "Publish the public key of the configured private key.",
                Record = record,
            };
        }

        var tags = published[0];
        var details = new List<string> { $"{entry.RecordName} TXT \"{answer.Records.First(r => DkimTags.Parse(r).ContainsKey("p"))}\"" };
        if (tags["p"].Length == 0)
        {
            return new(Name, FindingVerdict.Failed, $"The DKIM key at {entry.RecordName} is revoked (empty p=).")
            {
                Fix = "Publish the configured key, or configure a key whose record is published.", Record = record, Details = details,
            };
        }

        if (!string.Equals(tags["p"], key.PublicKey, StringComparison.Ordinal)
            || !string.Equals(tags.GetValueOrDefault("k") ?? "rsa", key.KeyType, StringComparison.OrdinalIgnoreCase))
        {
            return new(Name, FindingVerdict.Failed, $"The DKIM record at {entry.RecordName} holds a different key than {DkimOptions.SectionName}:{name}: " +
                                                 "every signature Bridge makes with it fails.")
            {
                Fix = "Publish the public key of the configured private key (or configure the private key the record belongs to).",
                Record = record,
                Details = details,
            };
        }

        return new(Name, FindingVerdict.Passed, $"{entry.RecordName} publishes the public key of {DkimOptions.SectionName}:{name} ({key.KeyType}).") { Details = details };
    }

    internal static int Severity(FindingVerdict verdict) => verdict switch
    {
        FindingVerdict.Failed => 3,
        FindingVerdict.Warning => 2,
        FindingVerdict.Passed => 1,
        _ => 0,
    };
}
