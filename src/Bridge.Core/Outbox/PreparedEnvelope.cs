using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Bridge.Core.Outbox;

/// <summary>
/// A message rendered for the outbox: its envelope, and for a claim-checked message held in a buffer the
/// payload still to store. Accept stores that payload at the same time as the record and the queue message.
/// </summary>
public sealed class PreparedEnvelope : IAsyncDisposable
{
    private readonly BlobClient? blob;
    private readonly Stream? rendered;
    private readonly IDictionary<string, string>? metadata;

    private PreparedEnvelope(OutboxEnvelope envelope, BlobClient? blob, Stream? rendered, IDictionary<string, string>? metadata)
    {
        Envelope = envelope;
        this.blob = blob;
        this.rendered = rendered;
        this.metadata = metadata;
    }

    public OutboxEnvelope Envelope { get; }

    /// <summary>Nothing left to store: the MIME travels inline, or its payload is stored already.</summary>
    internal static PreparedEnvelope Complete(OutboxEnvelope envelope) => new(envelope, null, null, null);

    /// <summary>Rendered into <paramref name="rendered"/>, which is uploaded with one Put Blob and then returned to its pool.</summary>
    internal static PreparedEnvelope Buffered(OutboxEnvelope envelope, BlobClient blob, Stream rendered, IDictionary<string, string>? metadata) =>
        new(envelope with { PayloadBlob = blob.Name }, blob, rendered, metadata);

    /// <summary>Stores the payload, if any is left to store. One Put Blob: a reader sees all of it or none.</summary>
    public async Task StorePayloadAsync(CancellationToken cancellationToken)
    {
        if (blob is not null && rendered is not null)
        {
            rendered.Position = 0;
            // Without conditions an upload overwrites, as a retried accept needs.
            await blob.UploadAsync(rendered, new BlobUploadOptions { Metadata = metadata }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (rendered is not null)
        {
            await rendered.DisposeAsync().ConfigureAwait(false);
        }
    }
}
