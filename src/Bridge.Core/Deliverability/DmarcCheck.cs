
namespace Bridge.Core.Deliverability;

/// <summary>
/// DMARC of the From domain (or of its organizational domain): one record, a valid policy, known tags, and
/// whether Bridge's DKIM signature (d= the From domain) aligns under adkim.
/// </summary>
public sealed class DmarcCheck(DeliverabilityDns dns) : IDeliverabilityCheck
{
    public const string Name = "dmarc";

    private static readonly HashSet<string> KnownTags = ["v", "p", "sp", "np", "adkim", "aspf", "pct", "rua", "ruf", "fo", "rf", "ri", "psd", "t"];

    public async Task<DeliverabilityFinding> CheckAsync(DeliverabilityContext context, CancellationToken cancellationToken)
    {
        var domain = context.Domain;
        var suggested = new DnsRecordFix($"_dmarc.{domain}", "TXT", $"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}");
        var (name, answer) = await LookupAsync(domain, cancellationToken).ConfigureAwait(false);
        if (answer.Failed)
        {
            return new(Name, FindingVerdict.Failed, $"The DMARC record of {domain} could not be read: {answer.Error}.")
            {
                Fix = "Check that the domain's DNS servers answer (and Bridge:Dns:Servers, if set).",
            };
        }

        var records = answer.Records.Where(r => r.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase)).ToList();
        if (records.Count == 0)
        {
            return new(Name, FindingVerdict.Failed, $"{domain} has no DMARC record: Gmail, Yahoo and Outlook require one from bulk senders and may refuse or junk the mail.")
            {
                Fix = "Publish a DMARC record; start with p=none and reports, then tighten to quarantine or reject once the reports are clean.",
                Record = suggested,
            };
        }

        if (records.Count > 1)
        {
            return new(Name, FindingVerdict.Failed, $"{name} has {records.Count} DMARC records: receivers then apply none of them (RFC 7489 6.6.3).")
            {
                Fix = "Keep exactly one DMARC record.",
                Record = suggested,
                Details = [.. records.Select(r => $"{name} TXT \"{r}\"")],
            };
        }

        var text = records[0];
        var tags = DkimTags.Parse(text);
        var details = new List<string> { $"{name} TXT \"{text}\"" };
        if (!string.Equals(name, $"_dmarc.{domain}", StringComparison.OrdinalIgnoreCase))
        {
            details.Add($"inherited from the organizational domain ({name}); its sp= applies to {domain}");
        }

        var policy = tags.GetValueOrDefault("p")?.ToLowerInvariant();
        if (policy is not ("none" or "quarantine" or "reject"))
        {
            return new(Name, FindingVerdict.Failed, $"The DMARC record of {domain} has {(policy is null ? "no p= policy" : $"an invalid policy p={policy}")}: receivers ignore it.")
            {
                Fix = "Set p=none, p=quarantine or p=reject.",
                Record = new DnsRecordFix(name, "TXT", "v=DMARC1; p=none" + string.Concat(tags.Where(t => t.Key is not ("v" or "p")).Select(t => $"; {t.Key}={t.Value}"))),
                Details = details,
            };
        }

        var problems = new List<string>();
        var unknown = tags.Keys.Where(k => !KnownTags.Contains(k)).Concat(DkimTags.Malformed(text)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"unknown or malformed parts are ignored by receivers: {string.Join(", ", unknown.Select(u => $"'{u}'"))}");
        }

        foreach (var mode in new[] { "adkim", "aspf" })
        {
            if (tags.TryGetValue(mode, out var value) && value.ToLowerInvariant() is not ("r" or "s"))
            {
                problems.Add($"{mode}={value} is neither r (relaxed) nor s (strict); receivers use r");
            }
        }

        var strict = tags.GetValueOrDefault("adkim")?.ToLowerInvariant() == "s";
        details.Add($"policy p={policy}, DKIM alignment {(strict ? "strict" : "relaxed")}, SPF alignment {(tags.GetValueOrDefault("aspf")?.ToLowerInvariant() == "s" ? "strict" : "relaxed")}");
        if (context.DkimKeys.Count > 0)
        {
            // Bridge signs with d= exactly the From domain, which aligns in both modes.
            details.Add($"Bridge's DKIM signature (d={domain}) aligns with From: {domain}");
        }
        else
        {
            problems.Add("Bridge does not sign for this domain, so DMARC passes only through the upstream's aligned signature or an aligned SPF (MAIL FROM) domain");
        }

        if (policy == "none")
        {
            problems.Add("p=none only monitors: spoofed mail from the domain is still delivered");
        }

        return problems.Count == 0
            ? new(Name, FindingVerdict.Passed, $"{domain} has a DMARC policy p={policy}, and Bridge's signature aligns with it.") { Details = details }
            : new(Name, FindingVerdict.Warning, $"{domain} has a DMARC record (p={policy}), but: {string.Join("; ", problems)}.")
            {
                Fix = unknown.Count > 0
                    ? "Remove the parts receivers do not understand."
                    : policy == "none" ? "Once the aggregate reports show only your own senders, move to p=quarantine, then p=reject." : "Configure a DKIM key for the domain (Bridge:Dkim).",
                Record = unknown.Count > 0
                    ? new DnsRecordFix(name, "TXT", string.Join("; ", tags.Where(t => KnownTags.Contains(t.Key)).Select(t => $"{t.Key}={t.Value}")))
                    : null,
                Details = details,
            };
    }

    /// <summary>The domain's record, else its organizational domain's (the last two labels: a simplification without the public suffix list).</summary>
    private async Task<(string Name, DnsAnswer<string> Answer)> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        var name = $"_dmarc.{domain}";
        var answer = await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false);
        var labels = domain.Split('.');
        if (answer.Failed || answer.Records.Any(r => r.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase)) || labels.Length <= 2)
        {
            return (name, answer);
        }

        var organizational = $"_dmarc.{string.Join('.', labels[^2..])}";
        var inherited = await dns.TxtAsync(organizational, cancellationToken).ConfigureAwait(false);
        return inherited.Records.Any(r => r.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase)) ? (organizational, inherited) : (name, answer);
    }
}
