namespace Bridge.Core.Hooks;

/// <summary>
/// Standard Webhooks (standardwebhooks.com): <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and
/// <c>webhook-signature</c>, a space-separated list of <c>v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>.
/// The secret is <c>whsec_&lt;base64&gt;</c> and its decoded bytes are the key (the prefix may be left off, as the
/// reference libraries allow). Other versions in the list (<c>v1a</c>, asymmetric) are ignored.
/// </summary>
public sealed class StandardWebhooksVerifier(TimeSpan tolerance) : HookVerifier
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    private const string SecretPrefix = "whsec_";

    public override string? Verify(HookDelivery delivery, string secret, DateTimeOffset now)
    {
        if (delivery.Header(IdHeader) is not { } id)
        {
            return Missing(IdHeader);
        }

        if (delivery.Header(TimestampHeader) is not { } timestamp)
        {
            return Missing(TimestampHeader);
        }

        if (delivery.Header(SignatureHeader) is not { } header)
        {
            return Missing(SignatureHeader);
        }

        var expected = Signature(Key(secret), id, timestamp, delivery.Body);
        var matched = header.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split(',', 2))
            .Any(parts => parts is ["v1", var signature] && SignatureEncoding.Base64.Matches(expected, signature));
        return matched
            ? TimestampWindow.Check(timestamp, now, tolerance)
            : $"no v1 signature in the {SignatureHeader} header matches the body";
    }

    /// <summary>The <c>webhook-signature</c> value Bridge sends with its own callbacks: <c>v1,&lt;base64&gt;</c>.</summary>
    /// <exception cref="UnusableSecretException">The secret is not whsec_ followed by base64.</exception>
    public static string Sign(string secret, string id, string timestamp, byte[] body) =>
        "v1," + Convert.ToBase64String(Signature(Key(secret), id, timestamp, body));

    private static byte[] Signature(byte[] key, string id, string timestamp, byte[] body) =>
        HmacAlgorithm.Sha256.Compute(key, Prefixed($"{id}.{timestamp}", body));

    private static byte[] Key(string secret)
    {
        try
        {
            return Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        }
        catch (FormatException)
        {
            throw new UnusableSecretException("A Standard Webhooks secret must be whsec_ followed by base64.");
        }
    }
}
