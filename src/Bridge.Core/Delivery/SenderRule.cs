namespace Bridge.Core.Delivery;

/// <summary>An allowed-sender rule: an exact address or <c>@domain</c> (the domain and nothing else).</summary>
public static class SenderRule
{
    public static bool IsWellFormed(string rule) =>
        rule.StartsWith('@') ? rule.Length > 1 && !rule[1..].Contains('@', StringComparison.Ordinal)
                             : rule.IndexOf('@', StringComparison.Ordinal) is > 0 && rule.Count(c => c == '@') == 1;

    /// <summary>True when <paramref name="rules"/> is empty (no restriction) or one rule covers the address.</summary>
    public static bool Allows(IReadOnlyList<string> rules, string address)
    {
        if (rules.Count == 0)
        {
            return true;
        }

        var at = address.LastIndexOf('@');
        var domain = at >= 0 ? address[at..] : "";
        return rules.Any(rule => rule.StartsWith('@')
            ? string.Equals(rule, domain, StringComparison.OrdinalIgnoreCase)
            : string.Equals(rule, address, StringComparison.OrdinalIgnoreCase));
    }
}
