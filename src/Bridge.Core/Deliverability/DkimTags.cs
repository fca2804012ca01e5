namespace Bridge.Core.Deliverability;

/// <summary>
/// The <c>tag=value; tag=value</c> lists of DKIM signatures and key records and of DMARC records
/// (RFC 6376 3.2): whitespace around tags and inside values is not significant.
/// </summary>
public static class DkimTags
{
    /// <summary>The tags by name (lower case); a repeated tag keeps its first value, a part without '=' is skipped.</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals > 0)
            {
                tags.TryAdd(part[..equals].Trim().ToLowerInvariant(), string.Concat(part[(equals + 1)..].Where(c => !char.IsWhiteSpace(c))));
            }
        }

        return tags;
    }

    /// <summary>The parts that are not <c>tag=value</c> (junk a receiver ignores or rejects).</summary>
    public static IEnumerable<string> Malformed(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.IndexOf('=') <= 0);
}
