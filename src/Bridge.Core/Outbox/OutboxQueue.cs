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

    /// <summary>Creates the envelope for a freshly composed message, storing the MIME in a blob when it is large.</summary>
    public async Task<OutboxEnvelope> CreateEnvelopeAsync(
        string id, string profile, string sender, IReadOnlyList<string> recipients, DateTimeOffset acceptedAt,
        MimeMessage message, CancellationToken cancellationToken)
    {
        using var rendered = new MemoryStream();
        await message.WriteToAsync(rendered, cancellationToken).ConfigureAwait(false);
        var envelope = new OutboxEnvelope
        {
            Id = id, Profile = profile, Sender = sender, Recipients = recipients, AcceptedAt = acceptedAt,
        };

        if (rendered.Length <= InlineMimeLimitBytes)
        {
            // Prepared 7-bit, so the bytes are ASCII and survive as a JSON string unchanged.
            return envelope with { Mime = Encoding.ASCII.GetString(rendered.GetBuffer(), 0, (int)rendered.Length) };
        }

        var blobName = $"{id}.eml";
        rendered.Position = 0;
        await payloads.GetBlobClient(blobName).UploadAsync(rendered, overwrite: true, cancellationToken).ConfigureAwait(false);
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

    public async Task<MimeMessage> LoadMessageAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.Mime is { } inline)
        {
            using var stream = new MemoryStream(Encoding.ASCII.GetBytes(inline));
            return await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        var blob = payloads.GetBlobClient(envelope.PayloadBlob ?? throw new InvalidDataException($"Envelope {envelope.Id} carries no MIME."));
        await using var content = await blob.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return await MimeMessage.LoadAsync(content, cancellationToken).ConfigureAwait(false);
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
