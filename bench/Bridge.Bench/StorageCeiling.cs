using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Bridge.Core.Diagnostics;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;

namespace Bridge.Bench;

/// <summary>
/// The storage ceiling: a bare loop over the same SDK clients Bridge uses (built by Bridge's own
/// <see cref="StorageClients"/>, counted by the same policy), per message one queue put, one receive,
/// one delete and one table write. Above Bridge's inline limit the payload goes to a blob as Bridge's
/// claim check does (upload, download, delete), since a queue message cannot hold it.
/// </summary>
public sealed class StorageCeiling(StorageClients clients, StorageRequestCounter counter, string connectionString)
{
    private const string QueueName = "bench-ceiling";
    private const string TableName = "benchceiling";
    private const string ContainerName = "bench-ceiling";

    private readonly QueueClient queue = clients.Queues.GetQueueClient(QueueName);
    private readonly TableClient table = clients.Tables.GetTableClient(TableName);
    private readonly BlobContainerClient container = clients.Blobs.GetBlobContainerClient(ContainerName);

    public async Task PrepareAsync()
    {
        await queue.CreateIfNotExistsAsync();
        await table.CreateIfNotExistsAsync();
        await container.CreateIfNotExistsAsync();
    }

    /// <summary>
    /// Empties a table by dropping and creating it again, between phases only, so every phase starts
    /// from the same table size (Azurite's index upkeep grows with the rows it holds).
    /// </summary>
    public async Task ResetTableAsync(string name)
    {
        await clients.Tables.DeleteTableAsync(name);
        await clients.Tables.CreateTableIfNotExistsAsync(name);
    }

    public async Task<ResultRow> RunAsync(int size, int messages, int concurrency, int? azuritePid)
    {
        await ResetTableAsync(TableName);
        var inline = size <= OutboxQueue.InlineMimeLimitBytes;
        var text = MessageFactory.Text(size);
        var blobContent = BinaryData.FromString(text);
        var latency = new Latencies();
        var putLatency = new Latencies();
        var before = counter.Counts.Snapshot();
        var azuriteCpu = azuritePid is { } a ? ProcessStats.CpuMs(a) : double.NaN;
        var next = -1;
        using var depth = QueueDepthProbe.Start(connectionString, QueueName);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < messages)
            {
                var begin = Stopwatch.GetTimestamp();
                var id = Guid.CreateVersion7().ToString("N");
                string payload;
                if (inline)
                {
                    payload = JsonSerializer.Serialize(new { id, mime = text });
                }
                else
                {
                    await container.GetBlobClient(id).UploadAsync(blobContent, overwrite: true);
                    payload = JsonSerializer.Serialize(new { id, payloadBlob = id });
                }

                var putBegin = Stopwatch.GetTimestamp();
                await queue.SendMessageAsync(payload);
                putLatency.Add(Stopwatch.GetElapsedTime(putBegin).TotalMilliseconds);

                var received = await ReceiveOneAsync();
                if (!inline)
                {
                    var blobName = JsonDocument.Parse(received.Body).RootElement.GetProperty("payloadBlob").GetString()!;
                    var blob = container.GetBlobClient(blobName);
                    await blob.DownloadContentAsync();
                    await blob.DeleteIfExistsAsync();
                }

                await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
                // A RowKey with the id, as Bridge's rows have, so that Azurite's RowKey index finds it without a scan.
                await table.AddEntityAsync(new TableEntity(id, "message:" + id)
                {
                    ["Status"] = "sent", ["From"] = MessageFactory.From, ["To"] = MessageFactory.To, ["Subject"] = "Bridge bench",
                    ["UpdatedAt"] = DateTimeOffset.UtcNow, ["Attempts"] = 1,
                });
                latency.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var maxQueueDepth = await depth.StopAsync();
        var ops = Delta(before, counter.Counts.Snapshot());
        return new ResultRow
        {
            Phase = "storage ceiling", Sink = "-", Size = size, Messages = messages, Concurrency = concurrency,
            Seconds = seconds, Latency = latency, PutLatency = putLatency,
            StorageOpsPerMessage = ops.Values.Sum() / (double)messages, StorageOps = ops,
            AzuriteCpuMsPerMessage = azuritePid is { } p ? (ProcessStats.CpuMs(p) - azuriteCpu) / messages : null,
            MaxQueueDepth = maxQueueDepth,
            Note = inline ? "put+receive+delete+table write" : "blob upload/download/delete + put+receive+delete+table write",
        };
    }

    private async Task<(BinaryData Body, string MessageId, string PopReceipt)> ReceiveOneAsync()
    {
        // This worker has just put a message, so one is there unless another worker took it first.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var response = await queue.ReceiveMessageAsync();
            if (response.Value is { } message)
            {
                return (message.Body, message.MessageId, message.PopReceipt);
            }

            await Task.Delay(5);
        }

        throw new TimeoutException("The ceiling queue stayed empty.");
    }

    internal static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(kv => (kv.Key, Value: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Value != 0)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
}
