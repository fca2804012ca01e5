using System.Security.Cryptography;
using Bridge.Core.Hooks;

namespace Bridge.Core.Tests.Hooks;

/// <summary>
/// Standard Webhooks: <c>webhook-signature</c> holds space-separated <c>v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>,
/// keyed with the base64-decoded bytes of a <c>whsec_</c> secret; timestamps within a tolerance either way.
/// </summary>
public sealed class StandardWebhooksSignatureTests
{
    private const string Body = """{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52"}}""";
    private const string Id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Key);
    private static readonly long Now = Deliveries.Now.ToUnixTimeSeconds();

    private static string V1(string id, long timestamp, string body, byte[] key) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Deliveries.Utf8($"{id}.{timestamp}.{body}")));

    private static string? Verify(string signature, long timestamp, string body = Body, string? secret = null, DateTimeOffset? now = null) =>
        HookPreset.Verifier(HookScheme.StandardWebhooks, new HookEntry())
            .Verify(Deliveries.With(body, ("webhook-id", Id), ("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("webhook-signature", signature)), secret ?? Secret, now ?? Deliveries.Now);

    [Fact]
    public void Example_from_the_reference_libraries_tests_is_accepted()
    {
        // standard-webhooks/libraries: test_sign_function (Python) and its twins in the other languages.
        var delivery = Deliveries.With("""{"test": 2432232314}""", ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"), ("webhook-timestamp", "1614265330"),
            ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));

        var refusal = HookPreset.Verifier(HookScheme.StandardWebhooks, new HookEntry())
            .Verify(delivery, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", DateTimeOffset.FromUnixTimeSeconds(1614265330));

        Assert.Null(refusal);
    }

    [Fact]
    public void Signature_computed_as_the_spec_describes_is_accepted() => Assert.Null(Verify(V1(Id, Now, Body, Key), Now));

    [Fact]
    public void Secret_without_the_whsec_prefix_is_read_as_base64_too() =>
        Assert.Null(Verify(V1(Id, Now, Body, Key), Now, secret: Convert.ToBase64String(Key)));

    [Fact]
    public void Key_is_the_decoded_secret_not_its_text() =>
        Assert.NotNull(Verify(V1(Id, Now, Body, Deliveries.Utf8(Secret)), Now));

    [Fact]
    public void One_v1_match_in_a_list_with_other_versions_is_enough() =>
        Assert.Null(Verify($"v1a,{Convert.ToBase64String(new byte[64])} v1,{Convert.ToBase64String(new byte[32])} {V1(Id, Now, Body, Key)}", Now));

    [Fact]
    public void Signature_with_one_character_changed_is_refused()
    {
        var signature = V1(Id, Now, Body, Key);
        var changed = signature[..10] + (signature[10] == 'A' ? 'B' : 'A') + signature[11..];

        Assert.NotNull(Verify(changed, Now));
    }

    [Fact]
    public void Signature_made_with_another_key_is_refused() => Assert.NotNull(Verify(V1(Id, Now, Body, RandomNumberGenerator.GetBytes(32)), Now));

    [Fact]
    public void Tampered_body_is_refused() => Assert.NotNull(Verify(V1(Id, Now, Body, Key), Now, Body.Replace("created", "deleted", StringComparison.Ordinal)));

    [Fact]
    public void Signature_for_another_message_id_is_refused() => Assert.NotNull(Verify(V1("msg_other", Now, Body, Key), Now));

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Timestamp_outside_the_tolerance_is_refused_even_when_signed(int offsetSeconds)
    {
        var timestamp = Now + offsetSeconds;

        Assert.Contains("timestamp", Verify(V1(Id, timestamp, Body, Key), timestamp), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void Missing_header_is_refused_naming_it(string missing)
    {
        var headers = new[] { ("webhook-id", Id), ("webhook-timestamp", Now.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("webhook-signature", V1(Id, Now, Body, Key)) };

        var refusal = HookPreset.Verifier(HookScheme.StandardWebhooks, new HookEntry())
            .Verify(Deliveries.With(Body, headers.Where(h => h.Item1 != missing).ToArray()), Secret, Deliveries.Now);

        Assert.Contains(missing, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_that_is_not_base64_cannot_be_used() =>
        Assert.Throws<UnusableSecretException>(() => Verify(V1(Id, Now, Body, Key), Now, secret: "whsec_not base64!"));

    [Fact]
    public void Delivery_id_is_the_webhook_id_header() =>
        Assert.Equal(Id, HookPreset.DeliveryId(HookScheme.StandardWebhooks, new HookEntry()).Find(Deliveries.With(Body, ("webhook-id", Id)), default));
}
