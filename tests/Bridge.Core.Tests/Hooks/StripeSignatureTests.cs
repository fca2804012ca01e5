using System.Security.Cryptography;
using System.Text.Json;
using Bridge.Core.Hooks;

namespace Bridge.Core.Tests.Hooks;

/// <summary>
/// Stripe: <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c>, each v1 the hex HMAC-SHA256 of <c>"&lt;t&gt;.&lt;raw body&gt;"</c>
/// keyed with the whole endpoint secret; timestamps within 300 s by default.
/// </summary>
public sealed class StripeSignatureTests
{
    private const string Secret = "whsec_test_5ecr3tK3yF0rStr1pe";
    private const string Body = """{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","type":"checkout.session.completed","data":{"object":{"amount_total":2000}}}""";
    private static readonly long Now = Deliveries.Now.ToUnixTimeSeconds();

    private static string V1(long t, string body, string secret = Secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Deliveries.Utf8(secret), Deliveries.Utf8($"{t}.{body}")));

    private static string? Verify(string header, string body = Body, int toleranceSeconds = 300) =>
        HookPreset.Verifier(HookScheme.Stripe, new HookEntry { ToleranceSeconds = toleranceSeconds })
            .Verify(Deliveries.With(body, ("Stripe-Signature", header)), Secret, Deliveries.Now);

    [Fact]
    public void Signature_over_timestamp_dot_body_is_accepted() => Assert.Null(Verify($"t={Now},v1={V1(Now, Body)}"));

    [Fact]
    public void One_matching_v1_among_several_is_enough_as_while_a_secret_rolls() =>
        Assert.Null(Verify($"t={Now},v1={V1(Now, Body, "whsec_old")},v1={V1(Now, Body)},v0={V1(Now, Body, "whsec_test")}"));

    [Fact]
    public void A_valid_v0_signature_alone_is_not_enough() => Assert.NotNull(Verify($"t={Now},v0={V1(Now, Body)}"));

    [Fact]
    public void Signature_over_the_body_alone_is_refused() =>
        Assert.NotNull(Verify($"t={Now},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Deliveries.Utf8(Secret), Deliveries.Utf8(Body)))}"));

    [Fact]
    public void Signature_made_with_another_secret_is_refused() => Assert.NotNull(Verify($"t={Now},v1={V1(Now, Body, "whsec_other")}"));

    [Fact]
    public void Tampered_body_is_refused() =>
        Assert.NotNull(Verify($"t={Now},v1={V1(Now, Body)}", Body.Replace("2000", "20", StringComparison.Ordinal)));

    [Fact]
    public void Changed_timestamp_is_refused() => Assert.NotNull(Verify($"t={Now - 1},v1={V1(Now, Body)}"));

    [Theory]
    [InlineData(-300, true)]
    [InlineData(-301, false)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void Timestamps_more_than_the_tolerance_away_either_way_are_refused(int offsetSeconds, bool accepted)
    {
        var t = Now + offsetSeconds;

        var refusal = Verify($"t={t},v1={V1(t, Body)}");

        Assert.Equal(accepted, refusal is null);
        if (!accepted)
        {
            Assert.Contains(offsetSeconds < 0 ? "old" : "future", refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Tolerance_comes_from_configuration()
    {
        var t = Now - 500;

        Assert.Null(Verify($"t={t},v1={V1(t, Body)}", toleranceSeconds: 600));
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=123")]
    [InlineData("t=abc,v1=00")]
    public void Header_without_a_timestamp_and_a_v1_signature_is_refused(string header) => Assert.NotNull(Verify(header));

    [Fact]
    public void Missing_header_is_refused_naming_it() =>
        Assert.Contains("Stripe-Signature", HookPreset.Verifier(HookScheme.Stripe, new HookEntry()).Verify(Deliveries.With(Body), Secret, Deliveries.Now),
            StringComparison.Ordinal);

    [Fact]
    public void Delivery_id_is_the_event_id_in_the_payload()
    {
        using var payload = JsonDocument.Parse(Body);

        Assert.Equal("evt_1NG8Du2eZvKYlo2CUI79vXWy", HookPreset.DeliveryId(HookScheme.Stripe, new HookEntry()).Find(Deliveries.With(Body), payload.RootElement));
    }
}
