using System.Globalization;
using System.Text;

namespace Bridge.Core.Suppressions;

/// <summary>
/// How a suppressed address is compared and stored: the bare address with its domain in lower case. The local part
/// keeps its case, which RFC 5321 leaves to the receiving server (almost all ignore it, but the sender cannot know).
/// </summary>
public static class SuppressedAddress
{
    /// <summary><c>"Bo" &lt;Bo@Example.ORG&gt;</c> → <c>Bo@example.org</c>; null when it is not an address.</summary>
    public static string? Normalize(string? mailbox)
    {
        if (string.IsNullOrWhiteSpace(mailbox))
        {
            return null;
        }

        var text = mailbox.Trim();
        var open = text.LastIndexOf('<');
        if (open >= 0 && text.EndsWith('>'))
        {
            text = text[(open + 1)..^1].Trim();
        }

        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || text.Length > MaxLength)
        {
            return null;
        }

        return text[..at] + "@" + text[(at + 1)..].ToLowerInvariant();
    }

    /// <summary>RFC 5321's limit on a path, so a row key never grows past what an address can be.</summary>
    public const int MaxLength = 254;

    /// <summary>
    /// A normalized address as a table key: the characters Table storage refuses in keys (<c>/ \ # ?</c>) and
    /// <c>%</c> itself are percent-encoded; everything else is kept, so keys sort and read like the addresses.
    /// </summary>
    public static string ToKey(string normalized)
    {
        var key = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (c is '/' or '\\' or '#' or '?' or '%')
            {
                key.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                key.Append(c);
            }
        }

        return key.ToString();
    }

    public static string FromKey(string key) => Uri.UnescapeDataString(key);

    /// <summary>An API key's name as a partition key: key names compare ignoring case.</summary>
    public static string OwnerKey(string owner) => ToKey(owner.ToLowerInvariant());
}
