using Bridge.Core.Diagnostics;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Tests.Outbox;

/// <summary>The claim-check thresholds, on both sides, against real Blob storage (Azurite), counting the requests.</summary>
public sealed class OutboxQueueTests : IAsyncLifetime
{
    private readonly StorageRequestCounter requests = new();
    private Azurite azurite = null!;
    private StorageClients storage = null!;
    private OutboxQueue outbox = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        storage = azurite.Clients(requests.Attach);
        await storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer).CreateIfNotExistsAsync();
        outbox = new OutboxQueue(storage, Options.Create(new QueueOptions()));
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    /// <summary>
    /// A message whose rendering is exactly <paramref name="size"/> bytes of text that does not compress (random
    /// base64 letters), so the size alone decides where it travels.
    /// </summary>
    private static MimeMessage MessageOfSize(int size) => MessageOfSize(size, compressible: false);

    /// <summary>A message whose rendering is exactly <paramref name="size"/> bytes, of mail-like text when <paramref name="compressible"/>.</summary>
    private static MimeMessage MessageOfSize(int size, bool compressible)
    {
        var message = new MimeMessage { Subject = "size", MessageId = "fixed@shop.example", Date = DateTimeOffset.UnixEpoch };
        message.From.Add(MailboxAddress.Parse("a@shop.example"));
        message.To.Add(MailboxAddress.Parse("b@example.org"));
        var body = new TextPart("plain") { Text = "" };
        message.Body = body;
        message.Prepare(EncodingConstraint.SevenBit);
        var overhead = Rendered(message).Length;
        body.Text = compressible ? MailText(size - overhead) : RandomLetters(size - overhead);
        Assert.Equal(size, Rendered(message).Length);
        return message;
    }

    private static string RandomLetters(int length) =>
        Convert.ToBase64String(new Random(length).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), length))[..length];

    /// <summary>Lines of a mail's text: words repeat, as in mail, but no line repeats another.</summary>
    private static string MailText(int length)
    {
        var words = new[] { "order", "shipped", "your", "invoice", "account", "the", "of", "delivery", "thank", "you", "for", "payment", "receipt" };
        var random = new Random(length);
        var text = new System.Text.StringBuilder(length + 100);
        while (text.Length < length)
        {
            text.Append(string.Join(' ', Enumerable.Range(0, 10).Select(_ => words[random.Next(words.Length)]))).Append(' ').Append(random.Next(100_000)).Append('\n');
        }

        return text.ToString(0, length);
    }

    private static byte[] Rendered(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    private async Task<OutboxEnvelope> Envelope(MimeMessage message)
    {
        await using var prepared = await Prepare(message);
        await prepared.StorePayloadAsync(CancellationToken.None);
        return prepared.Envelope;
    }

    [Fact]
    public async Task Message_at_the_limit_travels_inline_without_a_blob()
    {
        var message = MessageOfSize(OutboxQueue.InlineMimeLimitBytes);

        var envelope = await Envelope(message);

        Assert.Null(envelope.PayloadBlob);
        Assert.Equal(Rendered(message), System.Text.Encoding.ASCII.GetBytes(envelope.Mime!));
        Assert.True(OutboxQueue.Serialize(envelope).Length * 4 / 3 < 64 * 1024, "inline envelopes must fit a queue message after base64");
    }

    [Theory]
    [InlineData(OutboxQueue.InlineMimeLimitBytes + 1)]
    [InlineData(100 * 1024)]
    public async Task Mail_text_over_the_inline_limit_travels_inline_compressed_and_loads_back_identical(int size)
    {
        var message = MessageOfSize(size, compressible: true);

        var (envelope, puts) = await EnvelopeCountingPutsAsync(message);

        Assert.Equal(0, puts);
        Assert.Null(envelope.PayloadBlob);
        Assert.Null(envelope.Mime);
        Assert.NotNull(envelope.MimeBrotli);
        Assert.True(envelope.MimeBrotli.Length <= OutboxQueue.InlineMimeLimitBytes);
        Assert.True(OutboxQueue.Serialize(envelope).Length * 4 / 3 < 64 * 1024, "inline envelopes must fit a queue message after base64");
        // What travels is the envelope as the queue hands it back.
        await using var loaded = await outbox.LoadMessageAsync(OutboxQueue.Deserialize(OutboxQueue.Serialize(envelope)), CancellationToken.None);
        Assert.Equal(Rendered(message), Rendered(loaded.Message));
    }

    [Fact]
    public async Task With_compression_off_mail_text_over_the_inline_limit_goes_to_a_blob_as_before()
    {
        var message = MessageOfSize(100 * 1024, compressible: true);
        var uncompressed = new OutboxQueue(storage, Options.Create(new QueueOptions { CompressInline = false }));

        await using var prepared = await uncompressed.PrepareAsync(
            Guid.NewGuid().ToString("N"), "sender", "default", "a@shop.example", ["b@example.org"], DateTimeOffset.UtcNow, null, message, CancellationToken.None);
        await prepared.StorePayloadAsync(CancellationToken.None);

        Assert.Null(prepared.Envelope.MimeBrotli);
        await AssertLoadsBackIdenticalAndDeletesAsync(prepared.Envelope, message);
    }

    [Fact]
    public async Task Mail_text_that_does_not_compress_enough_goes_to_a_blob_as_before()
    {
        var message = MessageOfSize(400 * 1024, compressible: true);

        var envelope = await Envelope(message);

        Assert.Null(envelope.MimeBrotli);
        await AssertLoadsBackIdenticalAndDeletesAsync(envelope, message);
    }

    [Fact]
    public async Task Envelope_queued_before_compression_with_its_mime_as_text_still_loads()
    {
        var message = MessageOfSize(2000);
        var mime = System.Text.Json.JsonSerializer.Serialize(System.Text.Encoding.ASCII.GetString(Rendered(message)));
        var queuedBefore = "{\"v\":1,\"id\":\"old\",\"profile\":\"default\",\"sender\":\"a@shop.example\",\"recipients\":[\"b@example.org\"],"
                           + "\"attempt\":1,\"acceptedAt\":\"2026-11-27T10:00:00+00:00\",\"mime\":" + mime + "}";

        await using var loaded = await outbox.LoadMessageAsync(OutboxQueue.Deserialize(queuedBefore), CancellationToken.None);

        Assert.Equal(Rendered(message), Rendered(loaded.Message));
    }

    [Fact]
    public async Task Message_one_byte_over_the_inline_limit_goes_to_a_blob_in_one_put_and_loads_back_identical()
    {
        var message = MessageOfSize(OutboxQueue.InlineMimeLimitBytes + 1);

        var (envelope, puts) = await EnvelopeCountingPutsAsync(message);

        Assert.Null(envelope.Mime);
        Assert.Equal(1, puts);
        await AssertLoadsBackIdenticalAndDeletesAsync(envelope, message);
    }

    [Theory]
    [InlineData(OutboxQueue.InlineMimeLimitBytes + 1)]
    [InlineData(OutboxQueue.SingleUploadLimitBytes)]
    public async Task Preparing_a_buffered_message_stores_nothing_until_its_payload_is_stored(int size)
    {
        var before = requests.Counts.Snapshot().Values.Sum();
        await using var prepared = await Prepare(MessageOfSize(size));

        Assert.Equal(before, requests.Counts.Snapshot().Values.Sum());
        var blob = Payload(prepared.Envelope);
        Assert.False((await blob.ExistsAsync()).Value);
        await prepared.StorePayloadAsync(CancellationToken.None);
        Assert.Equal(size, (await blob.GetPropertiesAsync()).Value.ContentLength);
    }

    [Fact]
    public async Task A_message_too_large_to_buffer_is_stored_whole_before_it_is_prepared()
    {
        // Written in blocks, the blob exists (empty) from the start of the upload, so it must be complete
        // before accept writes the queue message that names it.
        await using var prepared = await Prepare(MessageOfSize(OutboxQueue.SingleUploadLimitBytes + 1));

        Assert.Equal(OutboxQueue.SingleUploadLimitBytes + 1, (await Payload(prepared.Envelope).GetPropertiesAsync()).Value.ContentLength);
    }

    private Task<PreparedEnvelope> Prepare(MimeMessage message) => outbox.PrepareAsync(
        Guid.NewGuid().ToString("N"), "sender", "default", "a@shop.example", ["b@example.org"], DateTimeOffset.UtcNow, null, message, CancellationToken.None);

    private Azure.Storage.Blobs.BlobClient Payload(OutboxEnvelope envelope) =>
        storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer).GetBlobClient(envelope.PayloadBlob);

    [Fact]
    public async Task Message_at_the_single_upload_limit_is_one_put()
    {
        var message = MessageOfSize(OutboxQueue.SingleUploadLimitBytes);

        var (envelope, puts) = await EnvelopeCountingPutsAsync(message);

        Assert.Equal(1, puts);
        await AssertLoadsBackIdenticalAndDeletesAsync(envelope, message);
    }

    [Fact]
    public async Task Message_one_byte_over_the_single_upload_limit_is_streamed_in_blocks_and_loads_back_identical()
    {
        var message = MessageOfSize(OutboxQueue.SingleUploadLimitBytes + 1);

        var (envelope, puts) = await EnvelopeCountingPutsAsync(message);

        Assert.True(puts > 1, $"a streamed upload stages blocks and commits them; counted {puts} PUT");
        await AssertLoadsBackIdenticalAndDeletesAsync(envelope, message);
    }

    private async Task<(OutboxEnvelope Envelope, long Puts)> EnvelopeCountingPutsAsync(MimeMessage message)
    {
        var before = requests.Counts.Snapshot().GetValueOrDefault("blob.PUT");
        var envelope = await Envelope(message);
        return (envelope, requests.Counts.Snapshot().GetValueOrDefault("blob.PUT") - before);
    }

    private async Task AssertLoadsBackIdenticalAndDeletesAsync(OutboxEnvelope envelope, MimeMessage message)
    {
        Assert.NotNull(envelope.PayloadBlob);
        await using (var loaded = await outbox.LoadMessageAsync(envelope, CancellationToken.None))
        {
            Assert.Equal(Rendered(message), Rendered(loaded.Message));
        }

        await outbox.DeletePayloadAsync(envelope, CancellationToken.None);
        Assert.False((await storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer).GetBlobClient(envelope.PayloadBlob).ExistsAsync()).Value);
    }
}
