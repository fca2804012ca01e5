using System.Security.Cryptography;
using Bridge.Core.Hooks;

namespace Bridge.Core.Tests.Hooks;

/// <summary>Shopify: <c>X-Shopify-Hmac-Sha256</c> is the base64 HMAC-SHA256 of the raw body, keyed with the app's client secret.</summary>
public sealed class ShopifySignatureTests
{
    private const string Secret = "shpss_0123456789abcdef";
    private const string Body = """{"id":820982911946154508,"email":"jon@example.com","total_price":"403.00"}""";
    private static readonly HookVerifier Verifier = HookPreset.Verifier(HookScheme.Shopify, new HookEntry());

    private static byte[] Mac(string secret, string body) => HMACSHA256.HashData(Deliveries.Utf8(secret), Deliveries.Utf8(body));

    private static string? Verify(string body, string secret, string signature) =>
        Verifier.Verify(Deliveries.With(body, ("X-Shopify-Hmac-Sha256", signature)), secret, Deliveries.Now);

    [Fact]
    public void Base64_hmac_of_the_raw_body_is_accepted() => Assert.Null(Verify(Body, Secret, Convert.ToBase64String(Mac(Secret, Body))));

    [Fact]
    public void Same_hmac_written_as_hex_is_refused() => Assert.NotNull(Verify(Body, Secret, Convert.ToHexStringLower(Mac(Secret, Body))));

    [Fact]
    public void Signature_made_with_another_secret_is_refused() => Assert.NotNull(Verify(Body, Secret, Convert.ToBase64String(Mac("other", Body))));

    [Fact]
    public void Tampered_body_is_refused() =>
        Assert.NotNull(Verify(Body.Replace("403.00", "4.00", StringComparison.Ordinal), Secret, Convert.ToBase64String(Mac(Secret, Body))));

    [Fact]
    public void Missing_header_is_refused_naming_it() =>
        Assert.Contains("X-Shopify-Hmac-Sha256", Verifier.Verify(Deliveries.With(Body), Secret, Deliveries.Now), StringComparison.Ordinal);

    [Fact]
    public void Delivery_id_is_the_X_Shopify_Webhook_Id_header()
    {
        var source = HookPreset.DeliveryId(HookScheme.Shopify, new HookEntry());

        Assert.Equal("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", source.Find(Deliveries.With(Body, ("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")), default));
    }
}
