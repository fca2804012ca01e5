using System.Net;
using System.Text;
using System.Text.Json;
using Bridge.Testing;
using MimeKit;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Bridge.IntegrationTests;

/// <summary>
/// The official SDKs, unmodified, against Bridge.Server's drop-in endpoints: npm @sendgrid/mail and postmark (one
/// Node process each, tests/peers/*-clients.mjs) and NuGet SendGrid. Each sends one message with an attachment,
/// several at once, and bad ones; the good mail arrives intact at the SMTP server, the bad reads as that API's error.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DropInClientTests(ServerFixture fixture)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SendGrid_node_sdk_sends_single_and_multiple_with_attachment_and_reads_SendGrid_errors()
    {
        var run = Guid.NewGuid().ToString("N")[..12];

        var seen = await NodePeer.RunAsync("sendgrid-clients.mjs", [$"{Base}/api/compat/sendgrid/", ServerFixture.ApiKey, run],
            new Dictionary<string, string>([NodePeer.Modules("BRIDGE_SENDGRID_MODULES", "npm-@sendgrid-mail")]));

        var single = seen.GetProperty("single");
        Assert.True(single.GetProperty("status").GetInt32() == 202, single.ToString());
        var mail = (await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == $"sendgrid single {run}", Arrival)).Parse();
        Assert.Equal("\"Shop\" <orders@shop.example>", mail.From.ToString());
        Assert.Equal(["ann@example.org"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["cc@example.org"], mail.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal(["help@shop.example"], mail.ReplyTo.Mailboxes.Select(m => m.Address));
        Assert.Equal("Plain body ünïcode", mail.TextBody!.Trim());
        Assert.Equal("<p>HTML body</p>", mail.HtmlBody!.Trim());
        Assert.Equal("1042", mail.Headers["X-Order"]);
        AssertAttachment(mail, "invoice.txt", "invoice bytes ✓");
        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, single.GetProperty("messageId").GetString()!, s => s == "sent", Arrival);
        Assert.Equal(["orders", run], status.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        // sendMultiple: a personalization per recipient, so a message each, and each sees only its own address.
        var multiple = seen.GetProperty("multiple");
        Assert.True(multiple.GetProperty("status").GetInt32() == 202, multiple.ToString());
        Assert.Equal(2, multiple.GetProperty("messageId").GetString()!.Split(',').Distinct().Count());
        foreach (var to in new[] { "bo@example.org", "cy@example.org" })
        {
            var each = (await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == $"sendgrid multiple {run}" && m.To.Contains(to), Arrival)).Parse();
            Assert.Equal([to], each.To.Mailboxes.Select(m => m.Address));
        }

        AssertSendGridError(seen.GetProperty("invalid"), 400, "subject");
        AssertSendGridError(seen.GetProperty("foreignSender"), 403, null);
        var badKey = AssertSendGridError(seen.GetProperty("badKey"), 401, null);
        Assert.Equal("The provided authorization grant is invalid, expired, or revoked", badKey.GetProperty("message").GetString());

        // The refused message was not queued: the run's tag is on the three that were.
        Assert.Equal(3, await CountTaggedAsync(run));
    }

    [Fact]
    public async Task Postmark_node_sdk_sends_single_and_batch_with_attachments_and_reads_Postmark_errors()
    {
        var run = Guid.NewGuid().ToString("N")[..12];

        var seen = await NodePeer.RunAsync("postmark-clients.mjs", [$"127.0.0.1:{fixture.Server.Port}/api/compat/postmark", ServerFixture.ApiKey, run],
            new Dictionary<string, string>([NodePeer.Modules("BRIDGE_POSTMARK_MODULES", "npm-postmark")]));

        var single = seen.GetProperty("single").GetProperty("ok");
        Assert.Equal(0, single.GetProperty("ErrorCode").GetInt32());
        Assert.Equal("OK", single.GetProperty("Message").GetString());
        Assert.Equal("\"Ann, A.\" <ann@example.org>, bo@example.org", single.GetProperty("To").GetString());
        Assert.True(DateTimeOffset.TryParse(single.GetProperty("SubmittedAt").GetString(), out _), single.ToString());
        var mail = (await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == $"postmark single {run}", Arrival)).Parse();
        Assert.Equal("\"Shop\" <orders@shop.example>", mail.From.ToString());
        Assert.Equal([("Ann, A.", "ann@example.org"), ("", "bo@example.org")], mail.To.Mailboxes.Select(m => (m.Name ?? "", m.Address)));
        Assert.Equal(["cc@example.org"], mail.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal(["help@shop.example"], mail.ReplyTo.Mailboxes.Select(m => m.Address));
        Assert.Equal("Plain body ünïcode", mail.TextBody!.Trim());
        Assert.Equal("1042", mail.Headers["X-Order"]);
        AssertAttachment(mail, "invoice.txt", "invoice bytes ✓");
        var logo = Assert.Single(mail.BodyParts.OfType<MimePart>(), p => p.ContentId == "logo.png");
        Assert.Equal([0x89, 0x50, 0x4e, 0x47], Bytes(logo));
        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, single.GetProperty("MessageID").GetString()!, s => s == "sent", Arrival);
        Assert.Equal([run], status.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        // The batch: an answer per message in order; the foreign sender and the tracked one refused, the others sent.
        var batch = seen.GetProperty("batch").GetProperty("ok").EnumerateArray().ToList();
        Assert.Equal([0, 400, 0, 300], batch.Select(b => b.GetProperty("ErrorCode").GetInt32()));
        Assert.Contains("TrackOpens", batch[3].GetProperty("Message").GetString(), StringComparison.Ordinal);
        foreach (var i in new[] { 0, 2 })
        {
            Assert.Equal("dee@example.org", batch[i].GetProperty("To").GetString());
            await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == $"postmark batch {run} {i}", Arrival);
        }

        var invalid = seen.GetProperty("invalid").GetProperty("error");
        Assert.Equal(("InvalidEmailRequestError", 300, 422), (invalid.GetProperty("name").GetString(), invalid.GetProperty("code").GetInt32(), invalid.GetProperty("statusCode").GetInt32()));
        Assert.Contains("To", invalid.GetProperty("message").GetString(), StringComparison.Ordinal);
        var badToken = seen.GetProperty("badToken").GetProperty("error");
        Assert.Equal(("InvalidAPIKeyError", 10, 401), (badToken.GetProperty("name").GetString(), badToken.GetProperty("code").GetInt32(), badToken.GetProperty("statusCode").GetInt32()));

        Assert.Equal(3, await CountTaggedAsync(run));
    }

    [Fact]
    public async Task SendGrid_dotnet_sdk_sends_single_and_multiple_with_attachment_and_reads_SendGrid_errors()
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        var client = new SendGridClient(new SendGridClientOptions { ApiKey = ServerFixture.ApiKey, Host = $"{Base}/api/compat/sendgrid" });
        var from = new EmailAddress("orders@shop.example", "Shop");

        var single = MailHelper.CreateSingleEmail(from, new EmailAddress("ann@example.org", "Ann"), $"csharp single {run}", "Plain body", "<p>HTML body</p>");
        byte[] report = [0x25, 0x50, 0x44, 0x46, 0x0a, 0x00, 0xff, 0x0d, 0x0a];
        single.AddAttachment("report.pdf", Convert.ToBase64String(report), "application/pdf");
        single.AddCategory(run);
        var sent = await client.SendEmailAsync(single);

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal("", await sent.Body.ReadAsStringAsync());
        var id = Assert.Single(sent.Headers.GetValues("X-Message-Id"));
        var mail = (await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == $"csharp single {run}", Arrival)).Parse();
        Assert.Equal(("Plain body", "<p>HTML body</p>"), (mail.TextBody!.Trim(), mail.HtmlBody!.Trim()));
        Assert.Equal(report, Bytes(Assert.Single(mail.Attachments.OfType<MimePart>(), a => a.FileName == "report.pdf")));
        await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s == "sent", Arrival);

        var many = MailHelper.CreateSingleEmailToMultipleRecipients(from, [new EmailAddress("bo@example.org"), new EmailAddress("cy@example.org")],
            $"csharp multiple {run}", "One each", null);
        many.AddCategory(run);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendEmailAsync(many)).StatusCode);
        foreach (var to in new[] { "bo@example.org", "cy@example.org" })
        {
            await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == $"csharp multiple {run}" && m.To.Contains(to), Arrival);
        }

        var templated = MailHelper.CreateSingleTemplateEmail(from, new EmailAddress("ann@example.org"), "d-123", new { name = "Ann" });
        templated.AddCategory(run);
        var refused = await client.SendEmailAsync(templated);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.DeserializeResponseBodyAsync())["errors"];
        Assert.Contains("template_id", errors.ToString(), StringComparison.Ordinal);

        // With errors as exceptions, the SDK reads SendGrid's error body into its own exception type.
        var strict = new SendGridClient(new SendGridClientOptions
        {
            ApiKey = ServerFixture.ApiKey, Host = $"{Base}/api/compat/sendgrid", HttpErrorAsException = true,
        });
        var thrown = await Assert.ThrowsAsync<SendGrid.Helpers.Errors.Model.BadRequestException>(() => strict.SendEmailAsync(templated));
        Assert.Contains("template_id", thrown.Message, StringComparison.Ordinal);

        Assert.Equal(3, await CountTaggedAsync(run));
    }

    private string Base => $"http://127.0.0.1:{fixture.Server.Port}";

    /// <summary>Asserts a SendGrid SDK error (status, SendGrid's body) and returns its first error.</summary>
    private static JsonElement AssertSendGridError(JsonElement seen, int status, string? field)
    {
        Assert.True(seen.GetProperty("status").GetInt32() == status, seen.ToString());
        var first = seen.GetProperty("body").GetProperty("errors")[0];
        Assert.Equal(field, first.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("message").GetString()));
        return first;
    }

    private static void AssertAttachment(MimeMessage mail, string name, string text)
    {
        var part = Assert.Single(mail.Attachments.OfType<MimePart>(), a => a.FileName == name);
        Assert.Equal(text, Encoding.UTF8.GetString(Bytes(part)));
    }

    private static byte[] Bytes(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }

    /// <summary>How many messages this key has with the tag: what was queued, whatever was refused.</summary>
    internal static async Task<int> CountTaggedAsync(ServerFixture fixture, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/messages?tag={tag}&limit=100");
        request.Headers.Authorization = new("Bearer", ServerFixture.ApiKey);
        using var response = await fixture.Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return list.RootElement.GetProperty("items").GetArrayLength();
    }

    private Task<int> CountTaggedAsync(string tag) => CountTaggedAsync(fixture, tag);
}
