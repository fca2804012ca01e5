using System.Net;
using System.Text;
using System.Text.Json;

namespace Bridge.IntegrationTests;

/// <summary>
/// Bad input through each drop-in endpoint (missing fields, the other API's shape, 1,000 personalizations or
/// messages, an attachment over the size limit, a feature Bridge does not have): that API's error shape and status,
/// and nothing queued. Every body carries the run's tag, so the message list proves none was taken; a good request
/// with the same tag at the end proves the list would have shown one.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DropInBadInputTests(ServerFixture fixture)
{
    private const string SendGridPath = "api/compat/sendgrid/v3/mail/send";
    private const string PostmarkPath = "api/compat/postmark/email";
    private const string PostmarkBatchPath = "api/compat/postmark/email/batch";

    /// <summary>
    /// An attachment that makes the body a little larger than Bridge's request limit: Bridge answers 413, and Kestrel
    /// (whose own limit is 64 KiB higher) reads the rest, so the client gets the answer instead of a reset.
    /// </summary>
    private static readonly string Oversized = Convert.ToBase64String(new byte[(ServerFixture.MaxRequestBytes * 3 / 4) + 8192]);

    [Fact]
    public async Task SendGrid_endpoint_refuses_bad_mail_in_SendGrid_shape_and_queues_nothing()
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        object Personalization(int i) => new { to = new[] { new { email = $"r{i}@example.org" } } };
        object Mail(object[] personalizations, object? attachment = null, string? templateId = null) => new
        {
            personalizations, from = new { email = "orders@shop.example" }, subject = $"sg bad {run}",
            content = new[] { new { type = "text/plain", value = "x" } }, categories = new[] { run },
            attachments = attachment is null ? null : new[] { attachment }, template_id = templateId,
        };

        var cases = new (string Case, object Body, HttpStatusCode Status, string? Field)[]
        {
            ("missing personalizations and from", new { subject = "x", categories = new[] { run } }, HttpStatusCode.BadRequest, "personalizations"),
            ("missing recipients", Mail([new { subject = "x" }]), HttpStatusCode.BadRequest, "personalizations.0.to"),
            ("Postmark's shape", new { From = "orders@shop.example", To = "ann@example.org", Subject = "x", TextBody = "x", Tag = run },
                HttpStatusCode.BadRequest, "from"),
            ("1,000 personalizations", Mail(Enumerable.Range(0, 1000).Select(Personalization).ToArray()), HttpStatusCode.BadRequest, "personalizations"),
            ("a template", Mail([Personalization(0)], templateId: "d-123"), HttpStatusCode.BadRequest, "template_id"),
            ("a bad attachment", Mail([Personalization(0)], new { content = "not base64!", filename = "a.txt" }), HttpStatusCode.BadRequest,
                "attachments.0.content"),
            ("an oversized attachment", Mail([Personalization(0)], new { content = Oversized, filename = "big.bin" }), HttpStatusCode.RequestEntityTooLarge, null),
        };
        foreach (var (name, body, status, field) in cases)
        {
            var (response, answer) = await fixture.PostAsync(body, path: SendGridPath);

            Assert.True(response.StatusCode == status, $"{name}: {(int)response.StatusCode} {answer}");
            Assert.True(answer.TryGetProperty("errors", out var errors), $"{name}: {answer}");
            var first = errors[0];
            Assert.True(field == first.GetProperty("field").GetString(), $"{name}: {answer}");
            Assert.False(string.IsNullOrEmpty(first.GetProperty("message").GetString()), name);
        }

        Assert.Equal(0, await DropInClientTests.CountTaggedAsync(fixture, run));
        var (good, _) = await fixture.PostAsync(Mail([Personalization(0)]), path: SendGridPath);
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.Equal(1, await DropInClientTests.CountTaggedAsync(fixture, run));
    }

    [Fact]
    public async Task Postmark_endpoints_refuse_bad_messages_in_Postmark_shape_and_queue_nothing()
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        object Message(int i, object? attachment = null) => new
        {
            From = "orders@shop.example", To = $"r{i}@example.org", Subject = $"pm bad {run}", TextBody = "x", Tag = run,
            Attachments = attachment is null ? null : new[] { attachment },
        };

        var cases = new (string Case, string Path, object Body, HttpStatusCode Status, int Code)[]
        {
            ("missing From and To", PostmarkPath, new { Subject = "x", TextBody = "x", Tag = run }, HttpStatusCode.UnprocessableEntity, 300),
            ("SendGrid's shape", PostmarkPath, new
            {
                personalizations = new[] { new { to = new[] { new { email = "ann@example.org" } } } },
                from = new { email = "orders@shop.example" }, subject = "x", categories = new[] { run },
            }, HttpStatusCode.UnprocessableEntity, 403),
            ("link tracking", PostmarkPath, new { From = "orders@shop.example", To = "ann@example.org", Subject = "x", TextBody = "x", Tag = run, TrackLinks = "HtmlOnly" },
                HttpStatusCode.UnprocessableEntity, 300),
            ("an oversized attachment", PostmarkPath, Message(0, new { Name = "big.bin", Content = Oversized, ContentType = "application/octet-stream" }),
                HttpStatusCode.RequestEntityTooLarge, 300),
            ("a batch of 1,000", PostmarkBatchPath, Enumerable.Range(0, 1000).Select(i => Message(i)).ToArray(), HttpStatusCode.UnprocessableEntity, 410),
            ("a batch that is not an array", PostmarkBatchPath, Message(0), HttpStatusCode.UnprocessableEntity, 402),
        };
        foreach (var (name, path, body, status, code) in cases)
        {
            var (response, answer) = await PostPostmarkAsync(path, body);

            Assert.True(response.StatusCode == status, $"{name}: {(int)response.StatusCode} {answer}");
            Assert.True(code == answer.GetProperty("ErrorCode").GetInt32(), $"{name}: {answer}");
            Assert.False(string.IsNullOrEmpty(answer.GetProperty("Message").GetString()), name);
        }

        Assert.Equal(0, await DropInClientTests.CountTaggedAsync(fixture, run));
        var (good, accepted) = await PostPostmarkAsync(PostmarkPath, Message(0));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(0, accepted.GetProperty("ErrorCode").GetInt32());
        Assert.Equal(1, await DropInClientTests.CountTaggedAsync(fixture, run));
    }

    [Fact]
    public async Task Daily_cap_cutting_a_mail_short_answers_what_was_queued_in_each_APIs_shape()
    {
        // This key may send 2 messages a day; nothing else uses it.
        var mail = new
        {
            personalizations = Enumerable.Range(0, 3).Select(i => new { to = new[] { new { email = $"cap{i}@example.org" } } }).ToArray(),
            from = new { email = "orders@shop.example" }, subject = "capped " + Guid.NewGuid(), content = new[] { new { type = "text/plain", value = "x" } },
        };

        var (sendGrid, errors) = await fixture.PostAsync(mail, apiKey: ServerFixture.CompatDailyKey, path: SendGridPath);
        var (postmark, refused) = await PostPostmarkAsync(PostmarkPath,
            new { From = "orders@shop.example", To = "cap@example.org", Subject = "capped", TextBody = "x" }, ServerFixture.CompatDailyKey);

        // The first two personalizations went; the third is named, with the queued ids to not send again.
        Assert.Equal(HttpStatusCode.TooManyRequests, sendGrid.StatusCode);
        Assert.NotNull(sendGrid.Headers.RetryAfter);
        var queued = sendGrid.Headers.GetValues("X-Message-Id").Single().Split(',');
        Assert.Equal(2, queued.Length);
        var error = Assert.Single(errors.GetProperty("errors").EnumerateArray());
        Assert.Equal("personalizations.2", error.GetProperty("field").GetString());
        Assert.All(queued, id => Assert.Contains(id, error.GetProperty("help").GetString(), StringComparison.Ordinal));
        foreach (var id in queued)
        {
            await fixture.Server.WaitForStatusAsync(ServerFixture.CompatDailyKey, id, s => s == "sent", TimeSpan.FromSeconds(30));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, postmark.StatusCode);
        Assert.Equal(429, refused.GetProperty("ErrorCode").GetInt32());
    }

    [Fact]
    public async Task Postmark_endpoint_takes_an_idempotency_key_as_the_send_route_does()
    {
        var body = new { From = "orders@shop.example", To = "ann@example.org", Subject = $"pm idem {Guid.NewGuid()}", TextBody = "x" };

        var (first, answer) = await PostPostmarkAsync(PostmarkPath, body, idempotencyKey: "pm-" + Guid.NewGuid());
        var key = first.RequestMessage!.Headers.GetValues("Idempotency-Key").Single();
        var (again, replay) = await PostPostmarkAsync(PostmarkPath, body, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(answer.GetProperty("MessageID").GetString(), replay.GetProperty("MessageID").GetString());
        await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, answer.GetProperty("MessageID").GetString()!, s => s == "sent", TimeSpan.FromSeconds(30));
        Assert.Equal(1, fixture.Smtp.Received.Count(m => m.Parse().Subject == body.Subject));
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostPostmarkAsync(
        string path, object body, string token = ServerFixture.ApiKey, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Postmark-Server-Token", token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await fixture.Server.Http.SendAsync(request);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
