using Azure.Data.Tables;
using Bridge.Core.Housekeeping;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Housekeeping;

/// <summary>The hourly clean-up against real storage (Azurite); time is moved, not waited for.</summary>
public sealed class RetentionSweeperTests : IAsyncLifetime
{
    private Azurite azurite = null!;
    private StorageClients storage = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        storage = azurite.Clients();
        await storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer).CreateIfNotExistsAsync();
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.IdempotencyTable);
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.QuotasTable);
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    private RetentionSweeper Sweeper(TimeProvider time) => new(storage,
        Options.Create(new PayloadRetentionOptions { Retention = TimeSpan.FromDays(7) }), time, NullLogger<RetentionSweeper>.Instance);

    [Fact]
    public async Task Payloads_are_kept_within_the_retention_and_removed_after_it()
    {
        var container = storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);
        await container.GetBlobClient("orphan.eml").UploadAsync(BinaryData.FromString("x"));
        await container.GetBlobClient("poisoned/kept.json").UploadAsync(BinaryData.FromString("{}"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        Assert.Equal(0, (await Sweeper(time).SweepAsync(CancellationToken.None)).Blobs);
        time.Advance(TimeSpan.FromDays(8));
        Assert.Equal(2, (await Sweeper(time).SweepAsync(CancellationToken.None)).Blobs);

        Assert.Empty(await container.GetBlobsAsync().ToListAsync());
    }

    [Fact]
    public async Task Idempotency_keys_go_after_their_window_and_daily_counters_after_two_days()
    {
        await storage.Tables.GetTableClient(StorageNames.IdempotencyTable).AddEntityAsync(new TableEntity("shop", "key1"));
        await storage.Tables.GetTableClient(StorageNames.QuotasTable).AddEntityAsync(new TableEntity("shop", "2026-11-27") { ["Used"] = 3 });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        Assert.Equal(new SweepResult(0, 0, 0), await Sweeper(time).SweepAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromHours(25));
        Assert.Equal(new SweepResult(0, 1, 0), await Sweeper(time).SweepAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new SweepResult(0, 0, 1), await Sweeper(time).SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_scheduled_payload_is_kept_until_its_time_and_its_retention_counts_from_there()
    {
        var container = storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sendAt = time.GetUtcNow().AddDays(6);
        await container.GetBlobClient("scheduled.eml").UploadAsync(BinaryData.FromString("x"), new Azure.Storage.Blobs.Models.BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { [Bridge.Core.Outbox.OutboxQueue.SendAtMetadata] = sendAt.UtcDateTime.ToString("O") },
        });

        time.Advance(TimeSpan.FromDays(12));
        Assert.Equal(0, (await Sweeper(time).SweepAsync(CancellationToken.None)).Blobs);
        time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await Sweeper(time).SweepAsync(CancellationToken.None)).Blobs);
    }
}
