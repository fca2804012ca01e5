namespace Bridge.Core.Suppressions;

/// <summary>A message's recipients split by the key's suppressions: those to skip, each with its suppression, and the rest in order.</summary>
public sealed record SuppressedRecipients(IReadOnlyList<(string Recipient, Suppression Suppression)> Skipped, IReadOnlyList<string> Rest)
{
    public static SuppressedRecipients Split(IReadOnlyList<string> recipients, IReadOnlyList<Suppression> found)
    {
        var byAddress = found.GroupBy(s => s.Email, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var skipped = new List<(string, Suppression)>();
        var rest = new List<string>();
        foreach (var recipient in recipients)
        {
            if (SuppressedAddress.Normalize(recipient) is { } address && byAddress.TryGetValue(address, out var suppression))
            {
                skipped.Add((recipient, suppression));
            }
            else
            {
                rest.Add(recipient);
            }
        }

        return new SuppressedRecipients(skipped, rest);
    }

    /// <summary>What the <c>suppressed</c> event says about one skipped recipient.</summary>
    public static string Describe(Suppression suppression) =>
        $"Skipped: suppressed for API key '{suppression.Key}' since {suppression.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} ({suppression.Reason}" +
        (suppression.Status is { } status ? $", {status}" : "") + ").";
}
