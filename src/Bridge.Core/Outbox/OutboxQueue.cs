using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Bridge.Core.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IO;
using MimeKit;

namespace Bridge.Core.Outbox;

/// <summary>
/// The outbound queue and its claim check: small messages travel inline, larger ones are stored in
/// Blob storage and the queue carries their name.
/// </summary>
public sealed class OutboxQueue(StorageClients storage, IOptions<QueueOptions> options)
{
    /// <summary>
    /// Largest MIME kept inline, as text or as the base64 of its compressed bytes. A queue message is at most
    /// 64 KiB after base64 (48 KiB of JSON); JSON escaping of line breaks and the envelope's other fields need the rest.
    /// </summary>
    public const int InlineMimeLimitBytes = 32 * 1024;

    /// <summary>
    /// Blob metadata naming a scheduled message's time, so the retention sweep keeps its payload until then and
    /// counts its retention from there.
    /// </summary>
    public const string SendAtMetadata = "sendat";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly QueueClient queue = storage.Queues.GetQueueClient(options.Value.Name);
    private readonly bool compressInline = options.Value.CompressInline;
    private readonly BlobContainerClient payloads = storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);

    // Blocks stay below the large-object heap threshold; the pool keeps at most what 16 concurrent mid-size renders use.
    private readonly RecyclableMemoryStreamManager buffers = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 64 * 1024,
        MaximumSmallPoolFreeBytes = 16 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
    });

    public QueueClient Queue => queue;

    private static string PayloadBlobName(string id) => $"{id}.eml";

    /// <summary>
    /// Largest claim-checked MIME uploaded with one Put Blob from a pooled buffer; a larger one is
    /// rendered straight into the blob in blocks, so memory stays bounded whatever its size.
    /// </summary>
    public const int SingleUploadLimitBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Prepares the envelope for a freshly composed message, rendering it once: into a pooled buffer, which
    /// travels inline when small and is left to upload in one request when mid-sized. Only a message that
    /// outgrows the buffer is rendered again, straight into its blob, and that is stored here, before anything
    /// else: a blob written in blocks is there, empty, from the start of its upload (Azure SDK issue 29518),
    /// so its queue message must not exist before the upload ends.
    /// </summary>
    public async Task<PreparedEnvelope> PrepareAsync(
        string id, string owner, string profile, string sender, IReadOnlyList<string> recipients, DateTimeOffset acceptedAt, DateTimeOffset? sendAt,
        MimeMessage message, CancellationToken cancellationToken)
    {
        var envelope = new OutboxEnvelope
        {
            Id = id, Owner = owner, Profile = profile, Sender = sender, Recipients = recipients, AcceptedAt = acceptedAt, SendAt = sendAt,
        };
        var metadata = PayloadMetadata(envelope);
        var blob = payloads.GetBlobClient(PayloadBlobName(id));
        var rendered = buffers.GetStream(nameof(PrepareAsync));
        try
        {
            await message.WriteToAsync(new CappedWriteStream(rendered, SingleUploadLimitBytes), cancellationToken).ConfigureAwait(false);
            if (rendered.Length > InlineMimeLimitBytes)
            {
                if (compressInline && InlineCompression.TryCompress(rendered.GetReadOnlySequence(), InlineMimeLimitBytes) is { } packed)
                {
                    await rendered.DisposeAsync().ConfigureAwait(false);
                    return PreparedEnvelope.Complete(envelope with { MimeBrotli = packed });
                }

                return PreparedEnvelope.Buffered(envelope, blob, rendered, metadata);
            }

            // Prepared 7-bit, so the bytes are ASCII and survive as a JSON string unchanged.
            var inline = PreparedEnvelope.Complete(envelope with { Mime = Encoding.ASCII.GetString(rendered.GetReadOnlySequence()) });
            await rendered.DisposeAsync().ConfigureAwait(false);
            return inline;
        }
        catch (CappedWriteStream.CapacityExceededException)
        {
            await rendered.DisposeAsync().ConfigureAwait(false);
            await using (var stream = await blob.OpenWriteAsync(overwrite: true, new BlobOpenWriteOptions { Metadata = metadata }, cancellationToken).ConfigureAwait(false))
            {
                await message.WriteToAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            return PreparedEnvelope.Complete(envelope with { PayloadBlob = blob.Name });
        }
        catch
        {
            await rendered.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Dictionary<string, string>? PayloadMetadata(OutboxEnvelope envelope) => envelope.SendAt is { } at
        ? new Dictionary<string, string> { [SendAtMetadata] = at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }
        : null;

    public async Task SendAsync(OutboxEnvelope envelope, TimeSpan visibilityDelay, CancellationToken cancellationToken)
    {
        // Never expire on the queue: a message leaves only by reaching a terminal state.
        await queue.SendMessageAsync(Serialize(envelope), visibilityDelay, TimeSpan.FromSeconds(-1), cancellationToken)
            .ConfigureAwait(false);
    }

    public static string Serialize(OutboxEnvelope envelope) => JsonSerializer.Serialize(envelope, Json);

    public static OutboxEnvelope Deserialize(string text) =>
        JsonSerializer.Deserialize<OutboxEnvelope>(text, Json)
        ?? throw new JsonException("The queue message is empty.");

    /// <summary>
    /// Loads the message to send. A claim-checked one is downloaded to a temporary file and parsed in
    /// place, so memory stays bounded whatever its size.
    /// </summary>
    public async Task<LoadedMessage> LoadMessageAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.Mime is { } inline)
        {
            using var stream = new MemoryStream(Encoding.ASCII.GetBytes(inline));
            return new LoadedMessage(await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false), null);
        }

        if (envelope.MimeBrotli is { } packed)
        {
            await using var stream = InlineCompression.Open(packed);
            return new LoadedMessage(await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false), null);
        }

        var blob = payloads.GetBlobClient(envelope.PayloadBlob ?? throw new InvalidDataException($"Envelope {envelope.Id} carries no MIME."));
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await blob.DownloadToAsync(file, cancellationToken).ConfigureAwait(false);
            if (file.Length == 0)
            {
                // A blob written in blocks is empty until its upload commits; no message renders to nothing.
                throw new PayloadNotFoundException(envelope.Id);
            }

            file.Position = 0;
            var message = await MimeMessage.LoadAsync(ParserOptions.Default, file, persistent: true, cancellationToken).ConfigureAwait(false);
            return new LoadedMessage(message, file);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new PayloadNotFoundException(envelope.Id, e);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Removes the claim-checked payload once the message is finished with.</summary>
    public async Task DeletePayloadAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.PayloadBlob is { } name)
        {
            await payloads.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes message <paramref name="id"/>'s claim-checked payload, if it has one, without its envelope.</summary>
    public async Task DeletePayloadAsync(string id, CancellationToken cancellationToken) =>
        await payloads.GetBlobClient(PayloadBlobName(id)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}
