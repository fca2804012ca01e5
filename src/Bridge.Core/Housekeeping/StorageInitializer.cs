using Azure;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Housekeeping;

/// <summary>
/// Creates the queues, table and container Bridge uses if they are missing (infra creates them in
/// Azure; Azurite starts empty). A failure is logged, not fatal: health reports it.
/// </summary>
public sealed partial class StorageInitializer(StorageClients storage, IOptions<QueueOptions> queue, ILogger<StorageInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
        {
            LogNotReady(logger, e);
        }
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await storage.Queues.GetQueueClient(queue.Value.Name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await storage.Queues.GetQueueClient(queue.Value.PoisonName).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await storage.Queues.GetQueueClient(StorageNames.CallbacksQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.MessagesTable, cancellationToken).ConfigureAwait(false);
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.MessageIndexTable, cancellationToken).ConfigureAwait(false);
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.IdempotencyTable, cancellationToken).ConfigureAwait(false);
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.QuotasTable, cancellationToken).ConfigureAwait(false);
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.SuppressionsTable, cancellationToken).ConfigureAwait(false);
        await storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is not ready; queues and tables could not be checked at start")]
    private static partial void LogNotReady(ILogger logger, Exception exception);
}
