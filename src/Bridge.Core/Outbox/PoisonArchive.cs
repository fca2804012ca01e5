using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Bridge.Core.Storage;

namespace Bridge.Core.Outbox;

/// <summary>
/// Keeps the envelopes that landed in the poison queue, and those of failed messages, so such a message
/// can be replayed after its cause is fixed. The poison trigger consumes the queue message; this is its
/// copy. The retention sweep removes them with the payloads.
/// </summary>
public sealed class PoisonArchive(StorageClients storage)
{
    private const string Prefix = "poisoned/";

    private readonly BlobContainerClient container = storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);

    public async Task SaveAsync(string id, string queueMessage, CancellationToken cancellationToken) =>
        await container.GetBlobClient(Prefix + id + ".json")
            .UploadAsync(BinaryData.FromString(queueMessage), overwrite: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Keeps a queue message that is not even an envelope, so nothing is silently dropped.</summary>
    public async Task<string> SaveUnreadableAsync(string queueMessage, CancellationToken cancellationToken)
    {
        var name = $"{Prefix}unreadable-{Guid.CreateVersion7():N}.txt";
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(queueMessage), overwrite: false, cancellationToken).ConfigureAwait(false);
        return name;
    }

    public async Task<string?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var content = await container.GetBlobClient(Prefix + id + ".json").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return Encoding.UTF8.GetString(content.Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        await container.GetBlobClient(Prefix + id + ".json").DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}
