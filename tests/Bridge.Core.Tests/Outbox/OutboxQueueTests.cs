using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Tests.Outbox;

/// <summary>The claim-check threshold, on both sides, against real Blob storage (Azurite).</summary>
public sealed class OutboxQueueTests : IAsyncLifetime
{
    private Azurite azurite = null!;
    private StorageClients storage = null!;
    private OutboxQueue outbox = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        storage = azurite.Clients();
        await storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer).CreateIfNotExistsAsync();
        outbox = new OutboxQueue(storage, Options.Create(new QueueOptions()));
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    /// <summary>A message whose rendering is exactly <paramref name="size"/> bytes.</summary>
    private static MimeMessage MessageOfSize(int size)
    {
        var message = new MimeMessage { Subject = "size", MessageId = "fixed@shop.example", Date = DateTimeOffset.UnixEpoch };
        message.From.Add(MailboxAddress.Parse("a@shop.example"));
        message.To.Add(MailboxAddress.Parse("b@example.org"));
        var body = new TextPart("plain") { Text = "" };
        message.Body = body;
        message.Prepare(EncodingConstraint.SevenBit);
        var overhead = Rendered(message).Length;
        body.Text = new string('x', size - overhead);
        Assert.Equal(size, Rendered(message).Length);
        return message;
    }

    private static byte[] Rendered(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    private Task<OutboxEnvelope> Envelope(MimeMessage message) =>
        outbox.CreateEnvelopeAsync(Guid.NewGuid().ToString("N"), "default", "a@shop.example", ["b@example.org"], DateTimeOffset.UtcNow, message, CancellationToken.None);

    [Fact]
    public async Task Message_at_the_limit_travels_inline_without_a_blob()
    {
        var message = MessageOfSize(OutboxQueue.InlineMimeLimitBytes);

        var envelope = await Envelope(message);

        Assert.Null(envelope.PayloadBlob);
        Assert.Equal(Rendered(message), System.Text.Encoding.ASCII.GetBytes(envelope.Mime!));
        Assert.True(OutboxQueue.Serialize(envelope).Length * 4 / 3 < 64 * 1024, "inline envelopes must fit a queue message after base64");
    }

    [Fact]
    public async Task Message_one_byte_over_the_limit_goes_to_a_blob_and_loads_back_identical()
    {
        var message = MessageOfSize(OutboxQueue.InlineMimeLimitBytes + 1);

        var envelope = await Envelope(message);

        Assert.Null(envelope.Mime);
        Assert.NotNull(envelope.PayloadBlob);
        await using var loaded = await outbox.LoadMessageAsync(envelope, CancellationToken.None);
        Assert.Equal(Rendered(message), Rendered(loaded.Message));
        await outbox.DeletePayloadAsync(envelope, CancellationToken.None);
        Assert.False((await storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer).GetBlobClient(envelope.PayloadBlob).ExistsAsync()).Value);
    }
}
