using System.Net;

namespace Bridge.Core.Deliverability;

/// <summary>
/// A domain's SPF policy with every include and redirect fetched and every a/mx mechanism resolved, so the
/// whole policy's lookup count is known and any address can be evaluated without asking DNS again.
/// </summary>
public sealed class SpfTree
{
    /// <summary>RFC 7208 4.6.4: more DNS-querying terms than this is a permanent error.</summary>
    public const int LookupLimit = 10;

    /// <summary>RFC 7208 4.6.4: at most this many MX hosts are looked at per mx mechanism.</summary>
    private const int MxLimit = 10;

    private SpfTree(string domain) => Domain = domain;

    public string Domain { get; }

    public SpfRecord? Record { get; private set; }

    /// <summary>Why this policy cannot be evaluated (no record, two records, syntax, a loop, a DNS failure).</summary>
    public string? Problem { get; private set; }

    public SpfResult ProblemResult { get; private set; }

    public IReadOnlyList<SpfBranch> Branches { get; private set; } = [];

    public SpfTree? Redirect { get; private set; }

    /// <summary>Fetches the policy of <paramref name="domain"/>; <paramref name="lookups"/> counts across the whole tree.</summary>
    public static async Task<SpfTree> FetchAsync(DeliverabilityDns dns, string domain, LookupCounter lookups, IReadOnlyList<string> chain, CancellationToken cancellationToken)
    {
        var tree = new SpfTree(domain);
        var answer = await dns.TxtAsync(domain, cancellationToken).ConfigureAwait(false);
        var records = answer.Records.Where(SpfRecord.IsSpf).ToList();
        if (answer.Failed)
        {
            return tree.Fail(SpfResult.TempError, answer.Error!);
        }

        if (records.Count == 0)
        {
            return tree.Fail(SpfResult.None, $"{domain} has no SPF record");
        }

        if (records.Count > 1)
        {
            return tree.Fail(SpfResult.PermError, $"{domain} has {records.Count} SPF records; receivers treat that as an error (RFC 7208 3.2)");
        }

        var (record, error) = SpfRecord.Parse(records[0]);
        if (record is null)
        {
            return tree.Fail(SpfResult.PermError, $"the SPF record of {domain} does not parse: {error}");
        }

        tree.Record = record;
        var branches = new List<SpfBranch>();
        foreach (var term in record.Terms)
        {
            if (term.CostsLookup && !lookups.Take())
            {
                return tree.Fail(SpfResult.PermError, $"the SPF policy needs more than {LookupLimit} DNS lookups (RFC 7208 4.6.4); receivers stop at {LookupLimit}");
            }

            branches.Add(await BranchAsync(dns, domain, term, lookups, chain, cancellationToken).ConfigureAwait(false));
        }

        tree.Branches = branches;
        if (record.Redirect is { } redirect && !record.Terms.Any(t => t.Name == "all"))
        {
            if (!lookups.Take())
            {
                return tree.Fail(SpfResult.PermError, $"the SPF policy needs more than {LookupLimit} DNS lookups (RFC 7208 4.6.4); receivers stop at {LookupLimit}");
            }

            tree.Redirect = await ChildAsync(dns, redirect, lookups, chain, cancellationToken).ConfigureAwait(false);
        }

        return tree;
    }

    /// <summary>What a receiver concludes for mail from <paramref name="address"/>.</summary>
    public SpfResult Evaluate(IPAddress address)
    {
        if (Problem is not null)
        {
            return ProblemResult;
        }

        foreach (var branch in Branches)
        {
            switch (branch.Matches(address))
            {
                case true:
                    return Qualified(branch.Term.Qualifier);
                case null:
                    return SpfResult.PermError;
            }
        }

        return Redirect?.Evaluate(address) switch
        {
            null => SpfResult.Neutral,
            SpfResult.None => SpfResult.PermError,
            var result => result.Value,
        };
    }

    /// <summary>The first problem anywhere in the tree (an include's missing record, a loop), with where it is.</summary>
    public string? FirstProblem() => Problem
                                     ?? Branches.Select(b => b.Include?.FirstProblem()).FirstOrDefault(p => p is not null)
                                     ?? Redirect?.FirstProblem();

    private SpfTree Fail(SpfResult result, string problem)
    {
        ProblemResult = result;
        Problem = problem;
        return this;
    }

    private static SpfResult Qualified(char qualifier) => qualifier switch
    {
        '-' => SpfResult.Fail,
        '~' => SpfResult.SoftFail,
        '?' => SpfResult.Neutral,
        _ => SpfResult.Pass,
    };

    private static async Task<SpfTree> ChildAsync(DeliverabilityDns dns, string target, LookupCounter lookups, IReadOnlyList<string> chain, CancellationToken cancellationToken)
    {
        var name = target.TrimEnd('.');
        if (chain.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return new SpfTree(name).Fail(SpfResult.PermError, $"SPF loop: {string.Join(" → ", chain)} → {name}");
        }

        return await FetchAsync(dns, name, lookups, [.. chain, name], cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SpfBranch> BranchAsync(
        DeliverabilityDns dns, string domain, SpfTerm term, LookupCounter lookups, IReadOnlyList<string> chain, CancellationToken cancellationToken)
    {
        if (term.Target?.Contains('%') == true)
        {
            // Macros expand per message (sender, client address); a doctor cannot evaluate them.
            return new SpfBranch(term, [], null, "uses a macro that only a receiver can expand");
        }

        switch (term.Name)
        {
            case "all":
                return new SpfBranch(term, [], null, null) { MatchesAll = true };
            case "ip4" or "ip6":
                return new SpfBranch(term, [(IPAddress.Parse(term.Target!), term.Prefix4 ?? term.Prefix6 ?? (term.Name == "ip4" ? 32 : 128))], null, null);
            case "include":
                return new SpfBranch(term, [], await ChildAsync(dns, term.Target!, lookups, chain, cancellationToken).ConfigureAwait(false), null);
            case "a":
                var addresses = await dns.AddressesAsync(term.Target ?? domain, cancellationToken).ConfigureAwait(false);
                return new SpfBranch(term, Networks(addresses.Records, term), null, addresses.Error);
            case "mx":
                var mx = await dns.MxAsync(term.Target ?? domain, cancellationToken).ConfigureAwait(false);
                var hosts = new List<IPAddress>();
                foreach (var host in mx.Records.Take(MxLimit))
                {
                    hosts.AddRange((await dns.AddressesAsync(host.Exchange.Value.TrimEnd('.'), cancellationToken).ConfigureAwait(false)).Records);
                }

                return new SpfBranch(term, Networks(hosts, term), null, mx.Error);
            default:
                return new SpfBranch(term, [], null, $"'{term.Name}' is not evaluated by the doctor" + (term.Name == "ptr" ? " (and RFC 7208 says not to use it)" : ""));
        }
    }

    private static List<(IPAddress, int)> Networks(IEnumerable<IPAddress> addresses, SpfTerm term) =>
        addresses.Select(a => (a, a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? term.Prefix4 ?? 32 : term.Prefix6 ?? 128)).ToList();
}

/// <summary>One mechanism of a fetched policy: its networks, or its included policy.</summary>
public sealed record SpfBranch(SpfTerm Term, IReadOnlyList<(IPAddress Network, int Prefix)> Networks, SpfTree? Include, string? Note)
{
    public bool MatchesAll { get; init; }

    /// <summary>True or false; null when the include makes the whole evaluation a permanent error.</summary>
    public bool? Matches(IPAddress address)
    {
        if (MatchesAll)
        {
            return true;
        }

        if (Include is { } include)
        {
            return include.Evaluate(address) switch
            {
                SpfResult.Pass => true,
                SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral => false,
                _ => null,
            };
        }

        return Networks.Any(n => InNetwork(address, n.Network, n.Prefix));
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var (a, n) = (address.GetAddressBytes(), network.GetAddressBytes());
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The DNS lookups an SPF evaluation has spent, shared across its includes.</summary>
public sealed class LookupCounter
{
    public int Count { get; private set; }

    /// <summary>Spends one lookup; false once the limit is passed.</summary>
    public bool Take() => ++Count <= SpfTree.LookupLimit;
}
