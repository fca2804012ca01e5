using System.Net;
using System.Text;
using System.Text.Json;
using Bridge.Core.Callbacks;
using Bridge.Core.Events;
using Bridge.Core.Hooks;
using Bridge.Testing;

namespace Bridge.Core.Tests.Callbacks;

/// <summary>The pure rules of callbacks: the signature against the specification's vector, which addresses are private, the ladder, which events go out.</summary>
public sealed class CallbackRulesTests
{
    // The Standard Webhooks specification's published test vector (standard-webhooks/standard-webhooks, the libraries' tests).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string VectorTimestamp = "1614265330";
    private const string VectorBody = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void The_test_receivers_reference_algorithm_reproduces_the_specifications_vector() =>
        Assert.Equal(VectorSignature, CallbackReceiver.ReferenceSignature(VectorSecret, VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorBody)));

    [Fact]
    public void Bridges_signer_reproduces_the_specifications_vector() =>
        Assert.Equal(VectorSignature, StandardWebhooksVerifier.Sign(VectorSecret, VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorBody)));

    [Fact]
    public void Verifier_accepts_the_vector_and_refuses_a_changed_body_or_another_secret()
    {
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = VectorId, ["webhook-timestamp"] = VectorTimestamp, ["webhook-signature"] = VectorSignature,
        };
        var now = DateTimeOffset.FromUnixTimeSeconds(1614265330 + (86_400 * 365));

        Assert.Null(CallbackVerifier.Verify(Encoding.UTF8.GetBytes(VectorBody), headers, VectorSecret, now, maxAge: null));
        Assert.Contains("no v1 signature", CallbackVerifier.Verify(Encoding.UTF8.GetBytes("""{"test": 2432232315}"""), headers, VectorSecret, now, null));
        Assert.Contains("no v1 signature", CallbackVerifier.Verify(Encoding.UTF8.GetBytes(VectorBody), headers, "whsec_" + Convert.ToBase64String(new byte[24]), now, null));
        Assert.Contains("old", CallbackVerifier.Verify(Encoding.UTF8.GetBytes(VectorBody), headers, VectorSecret, now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Saved_headers_are_read_from_raw_http_lines_or_a_json_object()
    {
        var raw = CallbackVerifier.ParseHeaders("POST /hooks HTTP/1.1\r\nHost: x\r\nwebhook-id: msg_1\r\nWebhook-Signature: v1,abc= v1,def=\r\n");
        var json = CallbackVerifier.ParseHeaders("""{"webhook-id": "msg_1", "webhook-timestamp": "1"}""");

        Assert.Equal("msg_1", raw["webhook-id"]);
        Assert.Equal("v1,abc= v1,def=", raw["webhook-signature"]);
        Assert.Equal("1", json["webhook-timestamp"]);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("64:ff9b::a9fe:a9fe", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("2606:4700:4700::1111", false)]
    public void Private_loopback_and_link_local_addresses_are_told_apart_from_public_ones(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, PrivateNetworks.Contains(IPAddress.Parse(address)));

    [Fact]
    public void Default_ladder_is_the_contracts_and_jitter_stays_within_its_fraction()
    {
        var ladder = new CallbackOptions().Ladder;

        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)],
            ladder);
        Assert.Equal(TimeSpan.FromSeconds(4), CallbackRetry.DelayAfter(1, ladder, 0.2, 0.0));
        Assert.Equal(TimeSpan.FromMinutes(5), CallbackRetry.DelayAfter(2, ladder, 0.2, 0.5));
        Assert.Equal(TimeSpan.FromHours(12), CallbackRetry.DelayAfter(7, ladder, 0.2, 1.0));
        Assert.Null(CallbackRetry.DelayAfter(8, ladder, 0.2, 0.5));
    }

    [Fact]
    public void Contract_events_are_carried_and_internal_ones_are_not()
    {
        var carried = Enum.GetValues<MessageEventType>().Where(CallbackEvents.IsCarried).Select(t => t.ToWire());

        // bounced and suppressed join this list by name as soon as their types exist.
        Assert.Subset(new HashSet<string> { "sent", "deferred", "failed", "bounced", "suppressed", "poisoned", "canceled" }, carried.ToHashSet());
        Assert.Superset(new HashSet<string> { "sent", "deferred", "failed", "poisoned", "canceled" }, carried.ToHashSet());
        Assert.False(CallbackEvents.IsCarried(MessageEventType.Callback));
        Assert.False(CallbackEvents.IsCarried(MessageEventType.Attempt));
        Assert.Equal("message.sent", CallbackEvents.TypeName("sent"));
    }

    [Fact]
    public void Payload_names_the_recipient_of_a_per_recipient_event_and_carries_the_smtp_reply()
    {
        var item = new CallbackItem
        {
            WebhookId = "msg_m1_000002", MessageId = "m1", Key = "shop", Type = "failed", At = DateTimeOffset.UnixEpoch, Status = "failed",
            SmtpCode = 550, SmtpReply = "5.1.1 No such user", Recipient = "gone@example.org",
        };

        var payload = CallbackPayload.Parse(CallbackPayload.Build(item, message: null))!;

        Assert.Equal("message.failed", payload.Type);
        Assert.Equal(["gone@example.org"], payload.Data.To);
        Assert.Equal(new CallbackSmtp(550, "5.1.1 No such user"), payload.Data.Smtp);
    }

    [Fact]
    public void Payload_carries_the_messages_tags_and_metadata_and_leaves_them_out_when_the_message_was_not_read()
    {
        var item = new CallbackItem
        {
            WebhookId = "msg_m1_000001", MessageId = "m1", Key = "shop", Type = "sent", At = DateTimeOffset.UnixEpoch, Status = "sent",
        };
        var message = new MessageRecord
        {
            Owner = "shop", CreatedAt = DateTimeOffset.UnixEpoch, From = "orders@shop.example", To = ["ann@example.org"], Subject = "Order",
            Profile = "default", Tags = ["orders"], Metadata = new Dictionary<string, string> { ["orderId"] = "42" },
            State = DeliveryState.Accepted("m1", DateTimeOffset.UnixEpoch, "shop"),
        };

        using var body = JsonDocument.Parse(CallbackPayload.Build(item, message));
        using var unread = JsonDocument.Parse(CallbackPayload.Build(item, message: null));

        var data = body.RootElement.GetProperty("data");
        Assert.Equal("orders", data.GetProperty("tags")[0].GetString());
        Assert.Equal("""{"orderId":"42"}""", data.GetProperty("metadata").GetRawText());
        Assert.False(unread.RootElement.GetProperty("data").TryGetProperty("metadata", out _));
        Assert.Equal(new Dictionary<string, string> { ["orderId"] = "42" }, CallbackPayload.Parse(body.RootElement.GetRawText())!.Data.Metadata);
    }
}
