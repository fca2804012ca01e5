using System.Net;
using System.Net.Sockets;

namespace Bridge.Core.Deliverability;

/// <summary>A parsed SPF record: its mechanisms in order and its <c>redirect=</c>; or the first syntax error.</summary>
public sealed record SpfRecord(string Text, IReadOnlyList<SpfTerm> Terms, string? Redirect)
{
    private static readonly HashSet<string> Mechanisms = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

    /// <summary>A TXT record is an SPF record when it starts with <c>v=spf1</c> followed by a space or its end.</summary>
    public static bool IsSpf(string txt) =>
        txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

    /// <summary>Parses <paramref name="text"/>; the error names the term that does not parse.</summary>
    public static (SpfRecord? Record, string? Error) Parse(string text)
    {
        var terms = new List<SpfTerm>();
        string? redirect = null;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var equals = word.IndexOf('=');
            var colon = word.IndexOf(':');
            if (equals > 0 && (colon < 0 || equals < colon))
            {
                // A modifier; unknown ones are allowed and ignored (RFC 7208 6).
                if (word[..equals].Equals("redirect", StringComparison.OrdinalIgnoreCase))
                {
                    redirect = word[(equals + 1)..];
                }

                continue;
            }

            if (Term(word) is not { } term)
            {
                return (null, $"'{word}' is not an SPF mechanism (ip4:, ip6:, a, mx, include:, exists:, all)");
            }

            terms.Add(term);
        }

        return (new SpfRecord(text, terms, redirect), null);
    }

    private static SpfTerm? Term(string word)
    {
        var qualifier = word[0] is '+' or '-' or '~' or '?' ? word[0] : '+';
        var rest = word[0] is '+' or '-' or '~' or '?' ? word[1..] : word;
        var cut = rest.IndexOfAny([':', '/']);
        var name = (cut < 0 ? rest : rest[..cut]).ToLowerInvariant();
        if (!Mechanisms.Contains(name))
        {
            return null;
        }

        var argument = cut < 0 ? "" : rest[cut..];
        if (name is "ip4" or "ip6")
        {
            return Network(qualifier, name, argument);
        }

        string? target = null;
        if (argument.StartsWith(':'))
        {
            var slash = argument.IndexOf('/');
            target = slash < 0 ? argument[1..] : argument[1..slash];
            argument = slash < 0 ? "" : argument[slash..];
            if (target.Length == 0)
            {
                return null;
            }
        }

        if (name is "include" or "exists" && target is null || name is "all" && (target is not null || argument.Length > 0))
        {
            return null;
        }

        var (p4, p6, ok) = Prefixes(argument);
        return ok && (argument.Length == 0 || name is "a" or "mx") ? new SpfTerm(qualifier, name, target, p4, p6) : null;
    }

    private static SpfTerm? Network(char qualifier, string name, string argument)
    {
        if (!argument.StartsWith(':'))
        {
            return null;
        }

        var slash = argument.IndexOf('/');
        var address = slash < 0 ? argument[1..] : argument[1..slash];
        var family = name == "ip4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        var max = name == "ip4" ? 32 : 128;
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != family)
        {
            return null;
        }

        int? prefix = null;
        if (slash >= 0)
        {
            if (!int.TryParse(argument[(slash + 1)..], out var bits) || bits < 0 || bits > max)
            {
                return null;
            }

            prefix = bits;
        }

        return name == "ip4" ? new SpfTerm(qualifier, name, address, prefix, null) : new SpfTerm(qualifier, name, address, null, prefix);
    }

    private static (int?, int?, bool) Prefixes(string argument)
    {
        if (argument.Length == 0)
        {
            return (null, null, true);
        }

        var parts = argument.Split("//");
        int? p4 = null, p6 = null;
        if (parts[0].Length > 0)
        {
            if (!parts[0].StartsWith('/') || !int.TryParse(parts[0][1..], out var v4) || v4 is < 0 or > 32)
            {
                return (null, null, false);
            }

            p4 = v4;
        }

        if (parts.Length > 1)
        {
            if (parts.Length > 2 || !int.TryParse(parts[1], out var v6) || v6 is < 0 or > 128)
            {
                return (null, null, false);
            }

            p6 = v6;
        }

        return (p4, p6, true);
    }
}
