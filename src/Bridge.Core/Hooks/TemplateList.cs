namespace Bridge.Core.Hooks;

/// <summary>
/// Splits a configured address list such as <c>Ops &lt;ops@shop.example&gt;, {{ payload.customer.email }}</c> into one
/// template per entry, on the commas outside Liquid tags and quoted names. Each entry then renders to one address,
/// so a comma inside a payload value can never add a recipient.
/// </summary>
public static class TemplateList
{
    public static IReadOnlyList<string> Split(string? source)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return [];
        }

        var entries = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '{' && i + 1 < source.Length && source[i + 1] is '{' or '%')
            {
                var close = source.IndexOf(source[i + 1] == '{' ? "}}" : "%}", i + 2, StringComparison.Ordinal);
                i = close < 0 ? source.Length : close + 1;
            }
            else if (source[i] == '"')
            {
                quoted = !quoted;
            }
            else if (source[i] == ',' && !quoted)
            {
                entries.Add(source[start..i]);
                start = i + 1;
            }
        }

        entries.Add(source[start..]);
        return entries.Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
    }
}
