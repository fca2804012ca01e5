using System.Text;
using Bridge.Core.Deliverability;
using Bridge.Core.Delivery;
using Bridge.Core.Secrets;
using Bridge.Core.Tests.Doctor;
using Bridge.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Bridge.Core.Tests.Deliverability;

/// <summary>
/// Mail signed by Bridge on its way to a real SMTP server, checked by an independent verifier (dkimpy)
/// that reads the public keys from a real DNS server (dnsmasq) on loopback.
/// </summary>
public sealed class DkimSigningTests : IAsyncLifetime
{
    private static readonly DkimKeys Shop = DkimKeys.RsaPkcs8();
    private static readonly DkimKeys Legacy = DkimKeys.RsaPkcs1();
    private static readonly DkimKeys ShopEd25519 = DkimKeys.Ed25519();
    private static readonly DkimKeys RotatedOld = DkimKeys.RsaPkcs8();
    private static readonly DkimKeys RotatedNew = DkimKeys.RsaPkcs8();

    private readonly Dictionary<string, string> secrets = new()
    {
        ["ShopKey"] = Shop.Pem,
        ["ShopEdKey"] = ShopEd25519.Pem,
        ["LegacyKey"] = Legacy.Pem,
        ["RotatedKey"] = RotatedOld.Pem,
    };

    private readonly FakeTimeProvider time = new();
    private LoopbackDns dns = null!;
    private TestSmtpServer smtp = null!;

    public async Task InitializeAsync()
    {
        dns = await LoopbackDns.StartAsync(new DnsZoneRecords()
            .Zone("shop.test").Zone("legacy.test").Zone("rotated.test")
            .Txt("rsa1._domainkey.shop.test", Shop.Record)
            .Txt("ed1._domainkey.shop.test", ShopEd25519.Record)
            .Txt("old._domainkey.legacy.test", Legacy.Record)
            .Txt("s1._domainkey.rotated.test", RotatedNew.Record));
        smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain);
    }

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        await dns.DisposeAsync();
    }

    private static DkimOptions Keys()
    {
        var options = new DkimOptions();
        options.Keys["shop"] = new DkimDomain { Domain = "shop.test", Selector = "rsa1", PrivateKeySecret = "ShopKey" };
        options.Keys["shoped"] = new DkimDomain { Domain = "shop.test", Selector = "ed1", PrivateKeySecret = "ShopEdKey" };
        options.Keys["legacy"] = new DkimDomain { Domain = "legacy.test", Selector = "old", PrivateKeySecret = "LegacyKey" };
        options.Keys["rotated"] = new DkimDomain { Domain = "rotated.test", Selector = "s1", PrivateKeySecret = "RotatedKey" };
        return options;
    }

    private SmtpSender Sender()
    {
        var cache = new SecretCache(new DictionarySecretStore(secrets), time, Options.Create(new SecretCacheOptions { TimeToLive = TimeSpan.FromMinutes(5) }));
        var profiles = new SmtpOptions();
        profiles.Profiles["default"] = new SmtpProfile { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, TimeoutSeconds = 5 };
        var pool = new SmtpConnectionPool(cache, Options.Create(new DeliveryOptions()), time, new CapturingLogger<SmtpConnectionPool>());
        return new SmtpSender(pool, Options.Create(profiles), new DkimSigning(Options.Create(Keys()), cache));
    }

    /// <summary>UTF-8 text and HTML with an attachment: the shape that breaks a signer that re-encodes after signing.</summary>
    private static MimeMessage Message(string from, string subject)
    {
        var body = new BodyBuilder { TextBody = "Grüße aus Köln — your order ships today.\n", HtmlBody = "<p>Grüße aus <b>Köln</b></p>" };
        body.Attachments.Add("invoice.txt", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Zeile mit Umlauten äöü\n", 200))));
        var message = new MimeMessage { Subject = subject, Body = body.ToMessageBody() };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("ann@example.org"));
        message.ReplyTo.Add(MailboxAddress.Parse("help@shop.test"));
        return message;
    }

    private async Task<byte[]> SendAsync(SmtpSender sender, string from, string subject)
    {
        var result = await sender.SendAsync("default", Message(from, subject), from, ["ann@example.org"], CancellationToken.None);
        Assert.IsType<DeliveryResult.Sent>(result);
        return (await smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10))).Raw;
    }

    /// <summary>What the upstream and the receiver add on the way: headers above the signature.</summary>
    private static byte[] WithReceivedHeaders(byte[] raw) =>
    [
        .. Encoding.ASCII.GetBytes("Received: from relay.upstream.test (relay.upstream.test [192.0.2.7])\r\n\tby mx.example.org with ESMTPS; Fri, 4 Dec 2026 18:00:00 +0000\r\n" +
                                   "Received: from bridge (127.0.0.1) by relay.upstream.test with ESMTPSA; Fri, 4 Dec 2026 17:59:59 +0000\r\n"),
        .. raw,
    ];

    [Fact]
    public async Task Mail_from_a_domain_with_rsa_and_ed25519_keys_carries_two_signatures_that_dkimpy_verifies_after_upstream_headers()
    {
        var raw = await SendAsync(Sender(), "orders@shop.test", "dual");

        Assert.Equal(["pass", "pass"], await DkimPyVerifier.VerifyAsync(WithReceivedHeaders(raw), dns));
        var signatures = MimeMessage.Load(new MemoryStream(raw)).Headers.Where(h => h.Id == HeaderId.DkimSignature).Select(h => DkimTags.Parse(h.Value)).ToList();
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], signatures.Select(s => s["a"]).Order());
        Assert.All(signatures, s => Assert.Equal("relaxed/relaxed", s["c"]));

        // Content-Type lives on the body's headers; a signer that only looks at the top-level headers leaves it out.
        // Cc is absent and signed as absent, so nobody can add one on the way.
        Assert.All(signatures, s => Assert.Equal(
            ["cc", "content-type", "date", "from", "message-id", "mime-version", "reply-to", "subject", "to"],
            s["h"].ToLowerInvariant().Split(':').Distinct().Order()));
    }

    [Fact]
    public async Task A_pkcs1_key_signs_too()
    {
        var raw = await SendAsync(Sender(), "billing@legacy.test", "pkcs1");

        Assert.Equal(["pass"], await DkimPyVerifier.VerifyAsync(raw, dns));
    }

    [Fact]
    public async Task A_changed_body_or_subject_no_longer_verifies()
    {
        var raw = Encoding.UTF8.GetString(await SendAsync(Sender(), "orders@shop.test", "tamper"));

        var lastLine = raw.LastIndexOf("\r\n\r\n", StringComparison.Ordinal);
        var tamperedBody = raw[..lastLine] + "\r\n\r\nPS: a line a forwarder added." + raw[lastLine..];
        var tamperedSubject = raw.Replace("Subject: tamper", "Subject: tampered", StringComparison.Ordinal);

        Assert.NotEqual(raw, tamperedSubject);
        Assert.All(await DkimPyVerifier.VerifyAsync(Encoding.UTF8.GetBytes(tamperedBody), dns), line => Assert.StartsWith("fail", line));
        Assert.All(await DkimPyVerifier.VerifyAsync(Encoding.UTF8.GetBytes(tamperedSubject), dns), line => Assert.StartsWith("fail", line));
        Assert.Equal(["pass", "pass"], await DkimPyVerifier.VerifyAsync(Encoding.UTF8.GetBytes(raw), dns));
    }

    [Fact]
    public async Task Mail_from_another_domain_goes_out_unsigned()
    {
        var raw = await SendAsync(Sender(), "someone@elsewhere.test", "unsigned");

        Assert.Equal(["none"], await DkimPyVerifier.VerifyAsync(raw, dns));
    }

    [Fact]
    public async Task A_rotated_key_is_used_once_the_cached_one_expires_without_a_restart()
    {
        var sender = Sender();
        var before = await SendAsync(sender, "news@rotated.test", "before rotation");
        secrets["RotatedKey"] = RotatedNew.Pem;
        var cached = await SendAsync(sender, "news@rotated.test", "still cached");
        time.Advance(TimeSpan.FromMinutes(6));
        var after = await SendAsync(sender, "news@rotated.test", "after rotation");

        // DNS already publishes the new key: the old key's signatures fail, the new one's pass.
        Assert.StartsWith("fail", Assert.Single(await DkimPyVerifier.VerifyAsync(before, dns)));
        Assert.StartsWith("fail", Assert.Single(await DkimPyVerifier.VerifyAsync(cached, dns)));
        Assert.Equal(["pass"], await DkimPyVerifier.VerifyAsync(after, dns));
    }

    [Fact]
    public async Task Sending_again_replaces_the_signature_instead_of_stacking_a_second_one()
    {
        var sender = Sender();
        var message = Message("billing@legacy.test", "twice");
        await sender.SendAsync("default", message, "billing@legacy.test", ["ann@example.org"], CancellationToken.None);
        await sender.SendAsync("default", message, "billing@legacy.test", ["ann@example.org"], CancellationToken.None);

        Assert.Single(message.Headers, h => h.Id == HeaderId.DkimSignature);
        var raw = (await smtp.WaitForMailAsync(m => m.Parse().Subject == "twice", TimeSpan.FromSeconds(10))).Raw;
        Assert.Equal(["pass"], await DkimPyVerifier.VerifyAsync(raw, dns));
    }

    [Fact]
    public async Task A_key_that_does_not_parse_at_first_use_fails_the_send_naming_the_setting_and_sends_nothing()
    {
        secrets["LegacyKey"] = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----";
        var sessions = smtp.Sessions;

        var result = await Sender().SendAsync("default", Message("billing@legacy.test", "bad key"), "billing@legacy.test", ["ann@example.org"], CancellationToken.None);

        var failure = Assert.IsType<DeliveryResult.Failed>(result).Failure;
        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Contains("Bridge:Dkim:legacy", failure.Detail);
        Assert.Contains("LegacyKey", failure.Detail);
        Assert.DoesNotContain("bm90IGEga2V5", failure.Describe());
        Assert.Equal(sessions, smtp.Sessions);
    }
}
