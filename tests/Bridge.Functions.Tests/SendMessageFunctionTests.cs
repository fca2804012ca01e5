using System.Text.Json;
using Azure.Storage.Queues;
using Bridge.Core.Outbox;

namespace Bridge.Functions.Tests;

[Collection(FunctionsCollection.Name)]
public sealed class SendMessageFunctionTests(FunctionsFixture fixture)
{
    private Task<(int Status, JsonElement Body, Microsoft.AspNetCore.Http.IHeaderDictionary Headers)> Post(string? key, object? body = null, string? raw = null) =>
        fixture.SendAsync(key, body, raw);

    private async Task<List<OutboxEnvelope>> QueuedEnvelopes()
    {
        // A separate client that expects base64, like the trigger: proves the wire format.
        var queue = new QueueClient(fixture.Azurite.ConnectionString, "outbound-mail",
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var peeked = await queue.PeekMessagesAsync(32);
        return peeked.Value.Select(m => OutboxQueue.Deserialize(m.Body.ToString())).ToList();
    }

    [Fact]
    public async Task Valid_request_is_accepted_with_location_and_queued_as_base64()
    {
        var (status, body, headers) = await Post(FunctionsFixture.SenderKey, Messages.Valid(subject: "accept-" + Guid.NewGuid()));

        Assert.Equal(202, status);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/messages/{id}", headers.Location.ToString());
        Assert.Equal($"/api/v1/messages/{id}", body.GetProperty("links").GetProperty("self").GetString());
        var envelope = Assert.Single(await QueuedEnvelopes(), e => e.Id == id);
        Assert.Equal("orders@shop.example", envelope.Sender);
        Assert.Equal(["ann@example.org", "bo@example.org"], envelope.Recipients);
        Assert.Contains("Message-Id: <" + id + "@shop.example>", envelope.Mime, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task No_key_is_401_and_nothing_is_queued()
    {
        var before = (await QueuedEnvelopes()).Count;

        var (status, body, _) = await Post(null, Messages.Valid());

        Assert.Equal(401, status);
        Assert.Equal("urn:bridge:problem:unauthorized", body.GetProperty("type").GetString());
        Assert.Equal(before, (await QueuedEnvelopes()).Count);
    }

    [Fact]
    public async Task Wrong_key_is_401() => Assert.Equal(401, (await Post("not-a-key", Messages.Valid())).Status);

    [Fact]
    public async Task Key_without_send_scope_is_403() =>
        Assert.Equal("urn:bridge:problem:scope-required", (await Post(FunctionsFixture.ReaderKey, Messages.Valid())).Body.GetProperty("type").GetString());

    [Fact]
    public async Task Sender_outside_the_keys_domains_is_403_naming_the_rule()
    {
        var (status, body, _) = await Post(FunctionsFixture.SenderKey, Messages.Valid(from: "ceo@bank.example"));

        Assert.Equal(403, status);
        Assert.Equal("urn:bridge:problem:sender-not-allowed", body.GetProperty("type").GetString());
        Assert.Contains("ceo@bank.example", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_the_key_may_not_use_is_403()
    {
        var request = JsonSerializer.SerializeToNode(Messages.Valid())!;
        request["profile"] = "other";

        var (status, body, _) = await Post(FunctionsFixture.SenderKey, raw: request.ToJsonString());

        Assert.Equal(403, status);
        Assert.Equal("urn:bridge:problem:profile-not-allowed", body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Profile_that_is_not_configured_is_refused_at_accept_with_400()
    {
        var request = JsonSerializer.SerializeToNode(Messages.Valid())!;
        request["profile"] = "nosuch";

        var (status, body, headers) = await Post(FunctionsFixture.OtherKey, raw: request.ToJsonString());

        Assert.Equal(400, status);
        Assert.Equal("urn:bridge:problem:validation", body.GetProperty("type").GetString());
        Assert.Contains("'nosuch'", body.GetProperty("errors").GetProperty("profile")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_fields_are_400_with_errors_per_field()
    {
        var (status, body, headers) = await Post(FunctionsFixture.SenderKey, new { from = "nope", to = Array.Empty<string>(), text = "x" });

        Assert.Equal(400, status);
        Assert.Equal("urn:bridge:problem:validation", body.GetProperty("type").GetString());
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.True(errors.TryGetProperty("to", out _));
        Assert.True(errors.TryGetProperty("subject", out _));
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_json_is_400_bad_json() =>
        Assert.Equal("urn:bridge:problem:bad-json", (await Post(FunctionsFixture.SenderKey, raw: "{\"from\": ")).Body.GetProperty("type").GetString());

    /// <summary>Posts a multipart body the way HttpClient writes one, through the function as the host would call it.</summary>
    private async Task<(int Status, JsonElement Body)> PostForm(byte[] body, string contentType, string idempotencyKey)
    {
        var context = fixture.NewContext(FunctionsFixture.SenderKey);
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Request.ContentType = contentType;
        context.Request.Headers[Core.Messages.IdempotencyKey.HeaderName] = idempotencyKey;
        var (status, answer, _) = await FunctionsFixture.ExecuteAsync(await fixture.Function<SendMessageFunction>().Run(context.Request, CancellationToken.None), context);
        return (status, answer);
    }

    private static async Task<(byte[] Body, string ContentType)> Form(string subject, byte[] file, string boundary)
    {
        using var form = new MultipartFormDataContent(boundary);
        form.Add(new StringContent(JsonSerializer.Serialize(new { from = "orders@shop.example", to = new[] { "ann@example.org" }, subject, text = "see attached" }),
            System.Text.Encoding.UTF8, "application/json"), "message");
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new("application/pdf");
        form.Add(part, "attachment", "report.pdf");
        return (await form.ReadAsByteArrayAsync(), form.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Multipart_send_is_accepted_with_the_file_as_a_binary_attachment_and_a_retry_with_another_boundary_is_the_same_message()
    {
        var file = Enumerable.Range(0, 20_000).Select(i => (byte)(i * 11)).ToArray();
        var subject = "multipart-" + Guid.NewGuid();
        var key = "multipart-" + Guid.NewGuid();
        var (first, type) = await Form(subject, file, "first-boundary");

        var (status, body) = await PostForm(first, type, key);
        var (retry, retryType) = await Form(subject, file, "another-boundary");
        var (retryStatus, retryBody) = await PostForm(retry, retryType, key);

        Assert.Equal(202, status);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal(202, retryStatus);
        Assert.Equal(id, retryBody.GetProperty("id").GetString());
        var envelope = Assert.Single(await QueuedEnvelopes(), e => e.Id == id);
        var attachment = Assert.IsType<MimeKit.MimePart>(Assert.Single(MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(envelope.Mime!))).Attachments));
        Assert.Equal("report.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using var decoded = new MemoryStream();
        await attachment.Content!.DecodeToAsync(decoded);
        Assert.Equal(file, decoded.ToArray());
    }

    [Fact]
    public async Task Malformed_multipart_is_400_problem_and_nothing_is_queued()
    {
        var (form, type) = await Form("cut-" + Guid.NewGuid(), new byte[5000], "cut-boundary");
        var before = (await QueuedEnvelopes()).Count;

        // The body cut off in the middle of the file part: no closing boundary.
        var (status, body) = await PostForm(form[..(form.Length / 2)], type, "cut-" + Guid.NewGuid());

        Assert.Equal(400, status);
        Assert.Equal("urn:bridge:problem:bad-multipart", body.GetProperty("type").GetString());
        Assert.Equal(before, (await QueuedEnvelopes()).Count);
    }
}
