using System.Text.Json;
using Bridge.Testing;
using MimeKit;

namespace Bridge.IntegrationTests;

/// <summary>
/// clients/wordpress/bridge-mail.php in a real WordPress (Debian's package, php-cli, MariaDB): wp_mail() goes through
/// Bridge.Server to the SMTP server, and a refusal reaches wp_mail_failed with Bridge's problem, as logging plugins
/// read it. Nothing may fall back to PHP's mail().
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WordPressTests(ServerFixture fixture, WordPressSite site) : IClassFixture<WordPressSite>
{
    private Dictionary<string, string> Constants(string key = ServerFixture.ApiKey) => new()
    {
        ["BRIDGE_URL"] = BridgeUrl,
        ["BRIDGE_API_KEY"] = key,
    };

    private string BridgeUrl => $"http://127.0.0.1:{fixture.Server.Port}/api";

    private static (string? Name, string Address) Mailbox(InternetAddressList list)
    {
        var mailbox = list.Mailboxes.Single();
        return (mailbox.Name, mailbox.Address);
    }

    [Fact]
    public async Task Html_mail_with_cc_bcc_reply_to_a_header_and_an_attachment_arrives_intact()
    {
        var subject = "WordPress order " + Guid.NewGuid().ToString("N")[..8];
        var pdf = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7 % 256)).ToArray();
        var folder = Directory.CreateTempSubdirectory("bridge-wp-attachment-");
        var attachment = Path.Combine(folder.FullName, "invoice.pdf");
        await File.WriteAllBytesAsync(attachment, pdf);

        var sent = await site.SendAsync(new
        {
            to = "Ann <ann@example.org>",
            subject,
            message = "<p>Hello <b>Ann</b>, your order is ready – grüße.</p>",
            headers = new[]
            {
                "From: Shop Orders <orders@shop.example>", "Cc: Bo <bo@example.org>", "Bcc: hidden@example.org",
                "Reply-To: Support <support@shop.example>", "Content-Type: text/html; charset=UTF-8", "X-Order: 42",
            },
            attachments = new[] { attachment },
        }, Constants());
        folder.Delete(recursive: true);
        var answer = sent.Result;
        Assert.Null(sent.Sendmail);

        Assert.True(answer.GetProperty("result").GetBoolean(), answer.ToString());
        Assert.Empty(answer.GetProperty("failed").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("succeeded")[0].GetProperty("id").GetString()));

        var received = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(30));
        var mail = received.Parse();
        Assert.Equal(("Shop Orders", "orders@shop.example"), Mailbox(mail.From));
        Assert.Equal(("Ann", "ann@example.org"), Mailbox(mail.To));
        Assert.Equal(("Bo", "bo@example.org"), Mailbox(mail.Cc));
        Assert.Equal(("Support", "support@shop.example"), Mailbox(mail.ReplyTo));
        Assert.Empty(mail.Bcc);
        Assert.DoesNotContain("hidden@example.org", System.Text.Encoding.UTF8.GetString(received.Raw), StringComparison.Ordinal);
        Assert.Equal(["ann@example.org", "bo@example.org", "hidden@example.org"], received.To.Order(StringComparer.Ordinal));
        Assert.Equal("<p>Hello <b>Ann</b>, your order is ready – grüße.</p>", mail.HtmlBody?.Trim());
        Assert.Equal("42", mail.Headers["X-Order"]);
        var part = Assert.IsType<MimePart>(mail.Attachments.Single());
        Assert.Equal("invoice.pdf", part.FileName);
        Assert.Equal("application/pdf", part.ContentType.MimeType);
        using var bytes = new MemoryStream();
        await part.Content!.DecodeToAsync(bytes);
        Assert.Equal(pdf, bytes.ToArray());
    }

    [Fact]
    public async Task Settings_page_option_and_wp_mail_from_filter_send_a_plain_text_mail()
    {
        var subject = "WordPress notice " + Guid.NewGuid().ToString("N")[..8];

        // No constants in the environment: the plugin reads the option the settings page saves.
        var sent = await site.SendAsync(new
        {
            to = "ann@example.org, Bo <bo@example.org>",
            subject,
            message = "Plain text,\nline two.",
            option = new { url = BridgeUrl, key = ServerFixture.ApiKey },
            fromFilter = "notices@shop.example",
        }, new Dictionary<string, string>());
        var answer = sent.Result;
        Assert.Null(sent.Sendmail);

        Assert.True(answer.GetProperty("result").GetBoolean(), answer.ToString());
        var mail = (await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(30))).Parse();
        Assert.Equal(("WordPress", "notices@shop.example"), Mailbox(mail.From));
        Assert.Equal(["ann@example.org", "bo@example.org"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Null(mail.HtmlBody);
        Assert.Equal("Plain text,\nline two.", mail.TextBody?.ReplaceLineEndings("\n").Trim());
    }

    [Fact]
    public async Task Wrong_key_returns_false_and_fires_wp_mail_failed_with_Bridges_problem()
    {
        const string wrongKey = "not-a-bridge-key-9999";
        var subject = "WordPress refused " + Guid.NewGuid().ToString("N")[..8];

        var sent = await site.SendAsync(new { to = "ann@example.org", subject, message = "never sent", headers = "From: orders@shop.example" },
            Constants(wrongKey));
        var answer = sent.Result;
        Assert.Null(sent.Sendmail);

        Assert.False(answer.GetProperty("result").GetBoolean(), answer.ToString());
        Assert.Empty(answer.GetProperty("succeeded").EnumerateArray());
        var failed = answer.GetProperty("failed").EnumerateArray().Single();
        Assert.Equal("WP_Error", failed.GetProperty("class").GetString());
        Assert.Equal("wp_mail_failed", failed.GetProperty("code").GetString());
        Assert.Equal(401, failed.GetProperty("status").GetInt32());
        Assert.Equal(subject, failed.GetProperty("subject").GetString());
        var problem = failed.GetProperty("problem");
        Assert.Equal("urn:bridge:problem:unauthorized", problem.GetProperty("type").GetString());
        var message = failed.GetProperty("message").GetString()!;
        Assert.Contains("401", message, StringComparison.Ordinal);
        Assert.Contains(problem.GetProperty("detail").GetString()!, message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_fields_an_unreadable_attachment_and_an_unreachable_Bridge_fail_with_their_reason_and_send_nothing()
    {
        var subject = "WordPress invalid " + Guid.NewGuid().ToString("N")[..8];

        var invalidRun = await site.SendAsync(new { to = "ann@example.org", subject, message = "x", headers = "From: orders@shop.example\r\nCc: bo@" },
            Constants());
        var missingRun = await site.SendAsync(new { to = "ann@example.org", subject, message = "x", attachments = "/nonexistent/terms.pdf" },
            Constants());
        var unreachableRun = await site.SendAsync(new { to = "ann@example.org", subject, message = "x", headers = "From: orders@shop.example" },
            new Dictionary<string, string> { ["BRIDGE_URL"] = $"http://127.0.0.1:{FreePort.Next()}/api", ["BRIDGE_API_KEY"] = ServerFixture.ApiKey });
        var (invalid, missing, unreachable) = (invalidRun.Result, missingRun.Result, unreachableRun.Result);
        Assert.All([invalidRun, missingRun, unreachableRun], run => Assert.Null(run.Sendmail));

        Assert.False(invalid.GetProperty("result").GetBoolean(), invalid.ToString());
        var refused = invalid.GetProperty("failed").EnumerateArray().Single();
        Assert.Equal(400, refused.GetProperty("status").GetInt32());
        Assert.Equal("urn:bridge:problem:validation", refused.GetProperty("problem").GetProperty("type").GetString());
        Assert.Contains("cc[0]: 'bo@' is not a valid email address.", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.False(missing.GetProperty("result").GetBoolean(), missing.ToString());
        var unread = missing.GetProperty("failed").EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Null, unread.GetProperty("status").ValueKind);
        Assert.Contains("terms.pdf", unread.GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.False(unreachable.GetProperty("result").GetBoolean(), unreachable.ToString());
        var unsent = unreachable.GetProperty("failed").EnumerateArray().Single();
        Assert.StartsWith("Bridge could not be reached: ", unsent.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFixture.ApiKey, unreachable.ToString(), StringComparison.Ordinal);

        Assert.DoesNotContain(fixture.Smtp.Received, m => m.Parse().Subject == subject);
    }

    [Fact]
    public async Task Without_a_url_and_key_wp_mail_sends_as_WordPress_does()
    {
        var subject = "WordPress unconfigured " + Guid.NewGuid().ToString("N")[..8];

        var sent = await site.SendAsync(new { to = "ann@example.org", subject, message = "via mail()", option = new { url = "", key = "" },
            fromFilter = "wordpress@shop.example" },
            new Dictionary<string, string>());

        Assert.True(sent.Result.GetProperty("result").GetBoolean(), sent.Result.ToString());
        Assert.Contains("Subject: " + subject, sent.Sendmail, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Smtp.Received, m => m.Parse().Subject == subject);
    }

    [Fact]
    public async Task Settings_page_keeps_the_key_it_never_shows_refuses_a_non_http_url_and_is_for_administrators()
    {
        var report = await site.SettingsPageAsync();

        Assert.Equal("https://bridge.example.net/api", report.GetProperty("saved").GetProperty("url").GetString());
        Assert.Equal("stored-secret-key-1234", report.GetProperty("saved").GetProperty("key").GetString());
        Assert.Equal("", report.GetProperty("resaved").GetProperty("url").GetString());
        Assert.Equal("stored-secret-key-1234", report.GetProperty("resaved").GetProperty("key").GetString());
        Assert.Equal(["bridge_mail_url"], report.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));

        var page = report.GetProperty("page").GetString()!;
        Assert.Contains("action=\"http://localhost/wp-admin/options.php\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"_wpnonce\"", page, StringComparison.Ordinal);
        Assert.Contains("name='option_page' value='bridge_mail'", page, StringComparison.Ordinal);
        Assert.DoesNotContain("stored-secret-key-1234", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x", page, StringComparison.Ordinal);
        Assert.StartsWith("denied: ", report.GetProperty("visitor").GetString(), StringComparison.Ordinal);
    }
}
