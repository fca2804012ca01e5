namespace Bridge.Core.Hooks;

/// <summary>
/// Each platform's published rules in one table: the header, algorithm and encoding of its signature, and
/// where its delivery id is. The generic schemes take theirs from configuration.
/// </summary>
public static class HookPreset
{
    public const string GitHubSignatureHeader = "X-Hub-Signature-256";
    public const string GitHubDeliveryHeader = "X-GitHub-Delivery";
    public const string ShopifySignatureHeader = "X-Shopify-Hmac-Sha256";
    public const string ShopifyDeliveryHeader = "X-Shopify-Webhook-Id";

    /// <summary>The verifier for <paramref name="scheme"/>; <paramref name="entry"/> must have passed validation.</summary>
    public static HookVerifier Verifier(HookScheme scheme, HookEntry entry)
    {
        var tolerance = TimeSpan.FromSeconds(entry.ToleranceSeconds);
        return scheme switch
        {
            HookScheme.GitHub => new HmacHeaderVerifier(GitHubSignatureHeader, HmacAlgorithm.Sha256, SignatureEncoding.Hex, "sha256="),
            HookScheme.Shopify => new HmacHeaderVerifier(ShopifySignatureHeader, HmacAlgorithm.Sha256, SignatureEncoding.Base64, ""),
            HookScheme.Stripe => new StripeSignatureVerifier(tolerance),
            HookScheme.StandardWebhooks => new StandardWebhooksVerifier(tolerance),
            HookScheme.Hmac => Generic(entry),
            _ => new SharedTokenVerifier(Blank(entry.Header), Blank(entry.QueryParameter)),
        };
    }

    /// <summary>Where the delivery id is: the configured header or payload field when there is one, else the platform's own.</summary>
    public static DeliveryIdSource DeliveryId(HookScheme scheme, HookEntry entry) =>
        Blank(entry.DeliveryIdHeader) is { } header ? DeliveryIdSource.FromHeader(header)
        : Blank(entry.DeliveryIdField) is { } field ? DeliveryIdSource.FromPayload(field)
        : scheme switch
        {
            HookScheme.GitHub => DeliveryIdSource.FromHeader(GitHubDeliveryHeader),
            HookScheme.Shopify => DeliveryIdSource.FromHeader(ShopifyDeliveryHeader),
            HookScheme.Stripe => DeliveryIdSource.FromPayload("id"),
            HookScheme.StandardWebhooks => DeliveryIdSource.FromHeader(StandardWebhooksVerifier.IdHeader),
            _ => DeliveryIdSource.None,
        };

    private static HmacHeaderVerifier Generic(HookEntry entry)
    {
        // Both were checked at start; an unknown value cannot get this far.
        _ = HmacAlgorithms.TryParse(entry.Algorithm, out var algorithm);
        _ = SignatureEncodings.TryParse(entry.Encoding, out var encoding);
        return new HmacHeaderVerifier(entry.Header!.Trim(), algorithm, encoding, entry.Prefix ?? "");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
