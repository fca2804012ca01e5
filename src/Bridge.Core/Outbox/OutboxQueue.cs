using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Bridge.Core.Storage;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Outbox;

/// <summary>
/// The outbound queue and its claim check: small messages travel inline, larger ones are stored in
/// Blob storage and the queue carries their name.
/// </summary>
public sealed class OutboxQueue(StorageClients storage, IOptions<QueueOptions> options)
{
    /// <summary>
    /// Largest MIME kept inline. A queue message is at most 64 KiB after base64 (48 KiB of JSON);
    /// JSON escaping of line breaks and the envelope's other fields need the rest.
    /// </summary>
    public const int InlineMimeLimitBytes = 32 * 1024;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly QueueClient queue = storage.Queues.GetQueueClient(options.Value.Name);
    private readonly BlobContainerClient payloads = storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);

    public QueueClient Queue => queue;

    /// <summary>
    /// Creates the envelope for a freshly composed message. The MIME is sized first without being
    /// kept; a small one is rendered inline, a large one is rendered straight into its blob.
    /// </summary>
    public async Task<OutboxEnvelope> CreateEnvelopeAsync(
        string id, string profile, string sender, IReadOnlyList<string> recipients, DateTimeOffset acceptedAt,
        MimeMessage message, CancellationToken cancellationToken)
    {
        var envelope = new OutboxEnvelope
        {
            Id = id, Profile = profile, Sender = sender, Recipients = recipients, AcceptedAt = acceptedAt,
        };
        await using var size = new CountingStream();
        await message.WriteToAsync(size, cancellationToken).ConfigureAwait(false);
        if (size.Length <= InlineMimeLimitBytes)
        {
            using var rendered = new MemoryStream((int)size.Length);
            await message.WriteToAsync(rendered, cancellationToken).ConfigureAwait(false);

            // Prepared 7-bit, so the bytes are ASCII and survive as a JSON string unchanged.
            return envelope with { Mime = Encoding.ASCII.GetString(rendered.GetBuffer(), 0, (int)rendered.Length) };
        }

        var blobName = $"{id}.eml";
        await using (var blob = await payloads.GetBlobClient(blobName).OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await message.WriteToAsync(blob, cancellationToken).ConfigureAwait(false);
        }

        return envelope with { PayloadBlob = blobName };
    }

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

        var blob = payloads.GetBlobClient(envelope.PayloadBlob ?? throw new InvalidDataException($"Envelope {envelope.Id} carries no MIME."));
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await blob.DownloadToAsync(file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            var message = await MimeMessage.LoadAsync(ParserOptions.Default, file, persistent: true, cancellationToken).ConfigureAwait(false);
            return new LoadedMessage(message, file);
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
}
