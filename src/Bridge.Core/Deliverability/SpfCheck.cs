using System.Net;
using System.Net.Sockets;

namespace Bridge.Core.Deliverability;

/// <summary>
/// SPF of the From domain: one record, valid syntax, at most 10 lookups, and whether it authorizes the
/// upstream's addresses (ip4, ip6, a, mx, include and redirect are evaluated as a receiver would).
/// </summary>
public sealed class SpfCheck(DeliverabilityDns dns) : IDeliverabilityCheck
{
    public const string Name = "spf";

    /// <summary>RFC 7208 3.4: a record that does not fit a 512-byte UDP answer may not be read by every receiver.</summary>
    private const int LongRecord = 450;

    public async Task<DeliverabilityFinding> CheckAsync(DeliverabilityContext context, CancellationToken cancellationToken)
    {
        var domain = context.Domain;
        var lookups = new LookupCounter();
        var tree = await SpfTree.FetchAsync(dns, domain, lookups, [domain], cancellationToken).ConfigureAwait(false);
        var addresses = context.UpstreamAddresses.Records;
        if (tree.Record is null)
        {
            return tree.ProblemResult == SpfResult.TempError
                ? new(Name, FindingVerdict.Failed, $"The SPF record of {domain} could not be read: {tree.Problem}. Receivers would defer or treat SPF as failed.")
                {
                    Fix = "Check that the domain's DNS servers answer (and Bridge:Dns:Servers, if set).",
                }
                : new(Name, FindingVerdict.Failed, Sentence(tree.Problem!) + " Receivers cannot tell whether the upstream may send for it.")
                {
                    Fix = "Publish one SPF record (merge any others into it) that authorizes the upstream.",
                    Record = new DnsRecordFix(domain, "TXT", Suggested(null, addresses, context.UpstreamHost)),
                };
        }

        var details = new List<string> { $"{domain} TXT \"{tree.Record.Text}\"", $"DNS lookups: {Math.Min(lookups.Count, SpfTree.LookupLimit + 1)} of at most {SpfTree.LookupLimit}" };
        details.AddRange(Notes(tree));
        if (tree.FirstProblem() is { } problem)
        {
            return new(Name, FindingVerdict.Failed, $"The SPF policy of {domain} is broken: {problem}. Receivers treat it as a permanent error (permerror).")
            {
                Fix = problem.Contains("lookups", StringComparison.Ordinal)
                    ? "Replace include: mechanisms by the ip4:/ip6: ranges they stand for, or drop senders you no longer use, until at most 10 lookups remain."
                    : "Correct the record (or the included domain's record) so every include: and redirect= names a domain with one valid SPF record.",
                Details = details,
            };
        }

        if (context.UpstreamAddresses.Failed || addresses.Count == 0)
        {
            return new(Name, FindingVerdict.Warning, $"{domain} has a valid SPF record, but the upstream {context.UpstreamHost} did not resolve " +
                                                  $"({context.UpstreamAddresses.Error ?? "no addresses"}), so whether it is authorized is unknown.")
            {
                Details = details,
            };
        }

        var results = addresses.Select(a => (Address: a, Result: tree.Evaluate(a))).ToList();
        details.AddRange(results.Select(r => $"{r.Address}: {r.Result.ToString().ToLowerInvariant()}"));
        var unauthorized = results.Where(r => r.Result != SpfResult.Pass).Select(r => r.Address).ToList();
        if (unauthorized.Count == 0)
        {
            return tree.Record.Text.Length > LongRecord
                ? new(Name, FindingVerdict.Warning, $"The SPF record of {domain} authorizes the upstream, but it is {tree.Record.Text.Length} bytes: " +
                                                 "answers over 512 bytes need TCP or EDNS, which some receivers do not use.")
                {
                    Fix = "Shorten it: merge ip4: ranges into wider prefixes or move parts into an include: of a subdomain.",
                    Details = details,
                }
                : new(Name, FindingVerdict.Passed, $"The SPF record of {domain} authorizes the upstream {context.UpstreamHost} ({string.Join(", ", addresses)}).")
                {
                    Details = details,
                };
        }

        var worst = results.First(r => r.Result != SpfResult.Pass).Result;
        return new(Name, worst == SpfResult.Fail ? FindingVerdict.Failed : FindingVerdict.Warning,
            $"The SPF record of {domain} does not authorize the upstream {context.UpstreamHost} ({string.Join(", ", unauthorized)}: " +
            $"{worst.ToString().ToLowerInvariant()}); receivers see mail through it as unauthenticated by SPF.")
        {
            Fix = "Add the upstream to the record (the provider's include: if it documents one, otherwise its addresses). The upstream may send " +
                  "from other addresses than the one Bridge connects to: the provider's SPF instructions win.",
            Record = new DnsRecordFix(domain, "TXT", Suggested(tree.Record, unauthorized, context.UpstreamHost)),
            Details = details,
        };
    }

    private static IEnumerable<string> Notes(SpfTree tree) =>
        tree.Branches.Where(b => b.Note is not null).Select(b => $"{tree.Domain}: {b.Term} {b.Note}")
            .Concat(tree.Branches.Where(b => b.Include is not null).SelectMany(b => Notes(b.Include!)))
            .Concat(tree.Redirect is { } redirect ? Notes(redirect) : []);

    /// <summary>The record with the missing addresses added before its <c>all</c> (or a new one ending in <c>~all</c>).</summary>
    private static string Suggested(SpfRecord? record, IReadOnlyList<IPAddress> addresses, string upstreamHost)
    {
        var added = addresses.Count == 0
            ? [$"a:{upstreamHost}"]
            : addresses.Select(a => (a.AddressFamily == AddressFamily.InterNetwork ? "ip4:" : "ip6:") + a).ToList();
        if (record is null)
        {
            return $"v=spf1 {string.Join(' ', added)} ~all";
        }

        var words = record.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var end = words.FindIndex(w => w.TrimStart('+', '-', '~', '?').Equals("all", StringComparison.OrdinalIgnoreCase)
                                       || w.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase));
        words.InsertRange(end < 0 ? words.Count : end, added);
        return string.Join(' ', words);
    }

    private static string Sentence(string text) => char.ToUpperInvariant(text[0]) + text[1..] + ".";
}
