namespace Bridge.Core.Events;

/// <summary>Addresses as the message index compares them: the bare address, lower case.</summary>
public static class AddressText
{
    /// <summary><c>"Bo" &lt;Bo@Example.org&gt;</c> → <c>bo@example.org</c>; a bare address is only lowered.</summary>
    public static string Bare(string mailbox)
    {
        var text = mailbox.Trim();
        var open = text.LastIndexOf('<');
        if (open >= 0 && text.EndsWith('>'))
        {
            text = text[(open + 1)..^1].Trim();
        }

        return text.ToLowerInvariant();
    }
}
