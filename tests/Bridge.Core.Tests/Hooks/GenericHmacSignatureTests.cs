using System.Security.Cryptography;
using Bridge.Core.Hooks;

namespace Bridge.Core.Tests.Hooks;

/// <summary>The generic Hmac scheme: the configured header, algorithm, encoding and prefix.</summary>
public sealed class GenericHmacSignatureTests
{
    private const string Secret = "generic-secret";
    private const string Body = """{"event":"form.submitted","id":991}""";

    private static byte[] Mac(string algorithm, string secret, string body) => algorithm switch
    {
#pragma warning disable CA5350 // The sender's choice, signed here as that sender would.
        "sha1" => HMACSHA1.HashData(Deliveries.Utf8(secret), Deliveries.Utf8(body)),
#pragma warning restore CA5350
        "sha512" => HMACSHA512.HashData(Deliveries.Utf8(secret), Deliveries.Utf8(body)),
        _ => HMACSHA256.HashData(Deliveries.Utf8(secret), Deliveries.Utf8(body)),
    };

    private static string Encode(string encoding, byte[] mac) => encoding == "base64" ? Convert.ToBase64String(mac) : Convert.ToHexStringLower(mac);

    private static HookVerifier Verifier(string algorithm, string encoding, string prefix) =>
        HookPreset.Verifier(HookScheme.Hmac, new HookEntry { Header = "X-Signature", Algorithm = algorithm, Encoding = encoding, Prefix = prefix });

    [Theory]
    [InlineData("sha1", "hex", "sha1=")]
    [InlineData("sha256", "hex", "")]
    [InlineData("sha256", "base64", "v0=")]
    [InlineData("sha512", "base64", "")]
    [InlineData("SHA512", "HEX", "")]
    public void Signature_in_the_configured_form_is_accepted(string algorithm, string encoding, string prefix)
    {
        var signature = prefix + Encode(encoding.ToLowerInvariant(), Mac(algorithm.ToLowerInvariant(), Secret, Body));

        Assert.Null(Verifier(algorithm, encoding, prefix).Verify(Deliveries.With(Body, ("X-Signature", signature)), Secret, Deliveries.Now));
    }

    [Theory]
    [InlineData("sha1", "sha256")]
    [InlineData("sha512", "sha256")]
    public void Signature_made_with_another_algorithm_is_refused(string configured, string used) =>
        Assert.NotNull(Verifier(configured, "hex", "").Verify(Deliveries.With(Body, ("X-Signature", Encode("hex", Mac(used, Secret, Body)))), Secret, Deliveries.Now));

    [Fact]
    public void Signature_without_the_configured_prefix_is_refused() =>
        Assert.NotNull(Verifier("sha256", "hex", "sha256=").Verify(Deliveries.With(Body, ("X-Signature", Encode("hex", Mac("sha256", Secret, Body)))), Secret, Deliveries.Now));

    [Fact]
    public void Signature_in_another_header_counts_as_missing() =>
        Assert.Contains("X-Signature", Verifier("sha256", "hex", "").Verify(Deliveries.With(Body, ("X-Other", Encode("hex", Mac("sha256", Secret, Body)))), Secret, Deliveries.Now),
            StringComparison.Ordinal);

    [Fact]
    public void Delivery_id_comes_from_the_configured_header() =>
        Assert.Equal("d-1", HookPreset.DeliveryId(HookScheme.Hmac, new HookEntry { DeliveryIdHeader = "X-Delivery" }).Find(Deliveries.With(Body, ("X-Delivery", "d-1")), default));

    [Fact]
    public void Delivery_id_can_come_from_a_configured_payload_field()
    {
        using var payload = System.Text.Json.JsonDocument.Parse(Body.Replace("991", "\"ev-991\"", StringComparison.Ordinal));

        Assert.Equal("ev-991", HookPreset.DeliveryId(HookScheme.Hmac, new HookEntry { DeliveryIdField = "id" }).Find(Deliveries.With(Body), payload.RootElement));
    }

    [Fact]
    public void Without_a_configured_header_there_is_no_delivery_id() =>
        Assert.Null(HookPreset.DeliveryId(HookScheme.Hmac, new HookEntry()).Find(Deliveries.With(Body, ("X-Delivery", "d-1")), default));
}
