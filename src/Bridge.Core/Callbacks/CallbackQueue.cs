using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Bridge.Core.Storage;

namespace Bridge.Core.Callbacks;

/// <summary>
/// The durable <c>callbacks</c> queue (base64, as every Bridge queue: <see cref="OutboxEncoding"/>). Created on first use
/// when the start-up check could not create it.
/// </summary>
public sealed class CallbackQueue(StorageClients storage)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly QueueClient queue = storage.Queues.GetQueueClient(StorageNames.CallbacksQueue);

    public async Task SendAsync(CallbackItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        var text = Serialize(item);
        try
        {
            // Never expire on the queue: an item leaves by being delivered or given up on.
            await queue.SendMessageAsync(text, delay, TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(text, delay, TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
        }
    }

    public static string Serialize(CallbackItem item) => JsonSerializer.Serialize(item, Json);

    /// <exception cref="JsonException">The text is not a callback item.</exception>
    public static CallbackItem Deserialize(string text) =>
        JsonSerializer.Deserialize<CallbackItem>(text, Json) ?? throw new JsonException("The queue message is empty.");
}
