using Azure.Storage.Blobs;
using MimeKit;

namespace Bridge.Core.Outbox;

/// <summary>
/// A message rendered for the outbox: its envelope, and for a claim-checked message the payload still to
/// store. Accept stores the payload at the same time as the record and the queue message.
/// </summary>
public sealed class PreparedEnvelope : IAsyncDisposable
{
    private readonly BlobClient? blob;
    private readonly Stream? rendered;
    private readonly MimeMessage? unrendered;

    private PreparedEnvelope(OutboxEnvelope envelope, BlobClient? blob, Stream? rendered, MimeMessage? unrendered)
    {
        Envelope = envelope;
        this.blob = blob;
        this.rendered = rendered;
        this.unrendered = unrendered;
    }

    public OutboxEnvelope Envelope { get; }

    /// <summary>Small enough to travel in the queue message: nothing else to store.</summary>
    internal static PreparedEnvelope Inline(OutboxEnvelope envelope) => new(envelope, null, null, null);

    /// <summary>Rendered into <paramref name="rendered"/>, which is uploaded with one Put Blob and then returned to its pool.</summary>
    internal static PreparedEnvelope Buffered(OutboxEnvelope envelope, BlobClient blob, Stream rendered) =>
        new(envelope with { PayloadBlob = blob.Name }, blob, rendered, null);

    /// <summary>Too large to buffer: rendered again, straight into the blob in blocks, when stored.</summary>
    internal static PreparedEnvelope Streamed(OutboxEnvelope envelope, BlobClient blob, MimeMessage message) =>
        new(envelope with { PayloadBlob = blob.Name }, blob, null, message);

    public async Task StorePayloadAsync(CancellationToken cancellationToken)
    {
        if (blob is null)
        {
            return;
        }

        if (rendered is not null)
        {
            rendered.Position = 0;
            await blob.UploadAsync(rendered, overwrite: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var stream = await blob.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        await unrendered!.WriteToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (rendered is not null)
        {
            await rendered.DisposeAsync().ConfigureAwait(false);
        }
    }
}
