using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Bridge.Core.Storage;
using MimeKit;

namespace Bridge.IntegrationTests;

/// <summary>Bridge.Server with its default 25 MiB request limit, for large messages.</summary>
public sealed class LargeServerFixture : ServerFixture
{
    protected override void Customize(Dictionary<string, string> settings) => settings.Remove("Bridge__Limits__MaxRequestBytes");
}

[CollectionDefinition(Name)]
public sealed class LargeServerCollection : ICollectionFixture<LargeServerFixture>
{
    public const string Name = "large server";
}

/// <summary>Attachments from kilobytes to the request limit: inline below the claim-check threshold, through Blob storage above it.</summary>
[Collection(LargeServerCollection.Name)]
public sealed class LargeMessageTests(LargeServerFixture fixture)
{
    private const long RequestLimit = 25 * 1024 * 1024;

    /// <summary>The largest attachment whose request (base64 plus the JSON around it) stays under the limit.</summary>
    private const int LargestAttachment = (int)((RequestLimit - 4096) / 4 * 3);

    private BlobContainerClient Payloads => new(fixture.Azurite.ConnectionString, StorageNames.PayloadContainer);

    private static object MailWith(string subject, byte[] attachment) => new
    {
        from = "orders@shop.example",
        to = new[] { "ann@example.org" },
        subject,
        text = "see attached",
        attachments = new[] { new { filename = "data.bin", contentType = "application/octet-stream", content = Convert.ToBase64String(attachment) } },
    };

    [Theory]
    [InlineData(30 * 1024)]
    [InlineData(60 * 1024)]
    [InlineData(5 * 1024 * 1024)]
    [InlineData(LargestAttachment)]
    public async Task Attachment_arrives_byte_identical_and_its_payload_blob_is_gone_after_sent(int size)
    {
        var attachment = RandomNumberGenerator.GetBytes(size);
        var subject = $"large-{size}-{Guid.NewGuid():N}";

        var (response, accepted) = await fixture.PostAsync(MailWith(subject, attachment));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = ServerFixture.Id(accepted);
        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed", TimeSpan.FromSeconds(90));

        Assert.Equal("sent", status.GetProperty("status").GetString());
        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        var part = Assert.IsType<MimePart>(Assert.Single(mail.Parse().Attachments));
        using var decoded = new MemoryStream();
        await part.Content!.DecodeToAsync(decoded);
        Assert.Equal(SHA256.HashData(attachment), SHA256.HashData(decoded.ToArray()));
        // The payload goes right after the outcome is recorded, so a reader can see "sent" a moment before.
        var payload = Payloads.GetBlobClient(id + ".eml");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await payload.ExistsAsync()).Value && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False((await payload.ExistsAsync()).Value, "the payload must be deleted once sent");
    }

    [Fact]
    public async Task Binary_attachment_of_25_MiB_posted_as_multipart_arrives_byte_identical()
    {
        // The whole default file-part limit: a size the JSON body cannot carry (base64 caps it at 18.7 MiB).
        var attachment = RandomNumberGenerator.GetBytes(25 * 1024 * 1024);
        var subject = "multipart-25mib-" + Guid.NewGuid().ToString("N");
        using var form = new MultipartFormDataContent();
        form.Add(JsonContent.Create(new { from = "orders@shop.example", to = new[] { "ann@example.org" }, subject, text = "see attached" }), "message");
        var file = new ByteArrayContent(attachment);
        file.Headers.ContentType = new("application/octet-stream");
        form.Add(file, "attachment", "data.bin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages") { Content = form };
        request.Headers.Authorization = new("Bearer", ServerFixture.ApiKey);

        using var response = await fixture.Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = ServerFixture.Id(System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed", TimeSpan.FromSeconds(120));

        Assert.Equal("sent", status.GetProperty("status").GetString());
        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        var part = Assert.IsType<MimePart>(Assert.Single(mail.Parse().Attachments));
        Assert.Equal("data.bin", part.FileName);
        using var decoded = new MemoryStream();
        await part.Content!.DecodeToAsync(decoded);
        Assert.Equal(SHA256.HashData(attachment), SHA256.HashData(decoded.ToArray()));
    }

    [Fact]
    public async Task Payload_of_a_failed_message_is_kept_for_a_replay_that_delivers_it()
    {
        var subject = "large-refused-" + Guid.NewGuid();
        var refuse = true;
        fixture.Smtp.OnData = m => refuse && m.Parse().Subject == subject ? Bridge.Testing.TestSmtpServer.Reply(552, "5.3.4 Message too big for system") : null;

        var id = ServerFixture.Id((await fixture.PostAsync(MailWith(subject, RandomNumberGenerator.GetBytes(200_000)))).Body);
        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed", TimeSpan.FromSeconds(30));

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.True((await Payloads.GetBlobClient(id + ".eml").ExistsAsync()).Value, "a failed message keeps its payload for a replay");

        // The upstream now takes it: a bulk replay by id delivers the kept payload, which then goes.
        refuse = false;
        var (replayed, body) = await fixture.PostAsync(new { ids = new[] { id } }, ServerFixture.AdminKey, "api/v1/messages/replay");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, replayed.StatusCode);
        Assert.Equal(1, body.GetProperty("replayed").GetInt32());
        status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s == "sent", TimeSpan.FromSeconds(30));
        Assert.Equal(["failed", "replayed", "attempt", "sent"], ServerFixture.EventTypes(status).SkipWhile(t => t != "failed"));
        Assert.False((await Payloads.GetBlobClient(id + ".eml").ExistsAsync()).Value);
    }

    [Fact]
    public async Task Poisoned_message_keeps_its_payload_for_replay()
    {
        var direct = new DirectStorage(fixture.Azurite);
        var envelope = await direct.CreateMessageAsync("large-poison-" + Guid.NewGuid(), claimCheck: true);
        await Payloads.GetBlobClient(envelope.PayloadBlob).UploadAsync(BinaryData.FromString(envelope.Mime!));

        // An envelope with no recipient (accept never queues one): MailKit refuses to send it, which no
        // classification covers, so every attempt crashes.
        await direct.Outbox.SendAsync(envelope with { Mime = null, Recipients = [] }, TimeSpan.Zero, CancellationToken.None);
        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, envelope.Id, s => s is "poisoned" or "sent" or "failed", TimeSpan.FromSeconds(40));

        Assert.Equal("poisoned", status.GetProperty("status").GetString());
        Assert.True((await Payloads.GetBlobClient(envelope.PayloadBlob).ExistsAsync()).Value);
        Assert.True((await Payloads.GetBlobClient($"poisoned/{envelope.Id}.json").ExistsAsync()).Value);
    }

    [Fact]
    public async Task Request_over_the_limit_is_413_before_the_client_finishes_sending()
    {
        var (status, written) = await StreamingJsonContent.PostAsync(fixture.Server.Http, ServerFixture.ApiKey, 26 * 1024 * 1024);

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"status {status}");
        Assert.True(written <= RequestLimit + (1024 * 1024), $"the client wrote {written} bytes");
    }
}
