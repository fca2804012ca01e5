using System.Security.Cryptography;
using Azure.Data.Tables;
using MimeKit;

namespace Bridge.IntegrationTests;

/// <summary>Through Bridge.Server: HTTP in, queue, the WebJobs listener, SMTP out, events back.</summary>
[Collection(ServerCollection.Name)]
public sealed class EndToEndTests(ServerFixture fixture)
{
    [Fact]
    public async Task Posted_message_arrives_as_posted_and_the_status_shows_accepted_then_sent()
    {
        var subject = "e2e-" + Guid.NewGuid();
        var pdf = RandomNumberGenerator.GetBytes(20_000);
        var (response, accepted) = await fixture.PostAsync(new
        {
            from = new { email = "orders@shop.example", name = "Shop" },
            to = new[] { "ann@example.org" },
            cc = new[] { "Carl <carl@example.org>" },
            bcc = new[] { "audit@example.org" },
            subject,
            text = "plain body",
            html = "<p>html body</p>",
            headers = new Dictionary<string, string> { ["X-Order"] = "42" },
            attachments = new[] { new { filename = "invoice.pdf", contentType = "application/pdf", content = Convert.ToBase64String(pdf) } },
        });

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/messages/{id}", response.Headers.Location?.ToString());

        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed", TimeSpan.FromSeconds(30));
        Assert.Equal("sent", status.GetProperty("status").GetString());
        var events = status.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["accepted", "attempt", "sent"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(250, events[^1].GetProperty("smtp").GetProperty("code").GetInt32());

        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(5));
        var message = mail.Parse();
        Assert.Equal("orders@shop.example", mail.From);
        Assert.Equal(["ann@example.org", "carl@example.org", "audit@example.org"], mail.To);
        Assert.Equal("Shop", message.From.Mailboxes.Single().Name);
        Assert.Equal("carl@example.org", message.Cc.Mailboxes.Single().Address);
        Assert.False(message.Headers.Contains(HeaderId.Bcc));
        Assert.Equal("42", message.Headers["X-Order"]);
        Assert.Equal($"<{id}@shop.example>", "<" + message.MessageId + ">");
        Assert.Equal("plain body", message.TextBody!.TrimEnd());
        Assert.Equal("<p>html body</p>", message.HtmlBody!.TrimEnd());
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        using var decoded = new MemoryStream();
        await attachment.Content!.DecodeToAsync(decoded);
        Assert.Equal(SHA256.HashData(pdf), SHA256.HashData(decoded.ToArray()));
    }

    /// <summary>
    /// Text and HTML go from the request's JSON to the delivered mail as UTF-8 bytes: literal non-ASCII, \u escapes (a
    /// surrogate pair among them) and CRLF all arrive as posted. The text is large enough to be read into a pooled array
    /// (given back once rendered) and to travel compressed in the queue message.
    /// </summary>
    [Fact]
    public async Task Non_ascii_text_and_html_arrive_as_posted_from_escaped_and_literal_json()
    {
        var subject = "utf8-" + Guid.NewGuid();
        var line = """Grüße \u00e9t\u00E9 \ud83d\ude00 日本語 😀 \"q\"\r\n""";
        var json = $$"""
            {"from":"orders@shop.example","to":["ann@example.org"],"subject":"{{subject}}",
             "text":"{{string.Concat(Enumerable.Repeat(line, 3000))}}end",
             "html":"<p>\u65e5\u672c\u8a9e 😀</p>"}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", ServerFixture.ApiKey);

        var response = await fixture.Server.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(30));
        var message = mail.Parse();
        var expected = string.Concat(Enumerable.Repeat("Grüße été 😀 日本語 😀 \"q\"\n", 3000)) + "end";
        Assert.Equal(expected, message.TextBody!.ReplaceLineEndings("\n").TrimEnd());
        Assert.Equal("<p>日本語 😀</p>", message.HtmlBody!.TrimEnd());
    }

    [Fact]
    public async Task Wrong_smtp_password_ends_failed_with_the_535_reply_and_no_secret_in_logs_or_events()
    {
        var (_, accepted) = await fixture.PostAsync(new
        {
            from = "orders@shop.example",
            to = new[] { "ann@example.org" },
            subject = "wrong password",
            text = "x",
            profile = "wrongpass",
        });
        var id = accepted.GetProperty("id").GetString()!;

        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed", TimeSpan.FromSeconds(30));

        Assert.Equal("failed", status.GetProperty("status").GetString());
        var failed = status.GetProperty("events").EnumerateArray().Last();
        Assert.Equal("failed", failed.GetProperty("type").GetString());
        Assert.Equal(535, failed.GetProperty("smtp").GetProperty("code").GetInt32());
        Assert.Contains("app password", failed.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, status.GetProperty("attempts").GetInt32());

        // Everything Bridge wrote about this message, raw from the table, and everything it logged.
        var table = new TableClient(fixture.Azurite.ConnectionString, "messages");
        var stored = string.Join('\n', table.Query<TableEntity>(e => e.PartitionKey == id)
            .SelectMany(e => ((IDictionary<string, object>)e).Values.Select(v => v?.ToString())));
        var logs = string.Join('\n', fixture.Server.Output);
        Assert.Contains(id, logs, StringComparison.Ordinal);
        foreach (var secret in new[] { ServerFixture.WrongPassword, ServerFixture.SmtpPassword, ServerFixture.ApiKey })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, status.GetRawText(), StringComparison.Ordinal);
        }
    }
}
