using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Outbox;

public sealed class PayloadSweeperTests : IAsyncLifetime
{
    private Azurite azurite = null!;
    private StorageClients storage = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        storage = azurite.Clients();
        await storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer).CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task Payloads_are_kept_within_the_retention_and_removed_after_it()
    {
        var container = storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);
        await container.GetBlobClient("orphan.eml").UploadAsync(BinaryData.FromString("x"));
        await container.GetBlobClient("poisoned/kept.json").UploadAsync(BinaryData.FromString("{}"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sweeper = new PayloadSweeper(storage, Options.Create(new PayloadRetentionOptions { Retention = TimeSpan.FromDays(7) }),
            time, NullLogger<PayloadSweeper>.Instance);

        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromDays(8));
        Assert.Equal(2, await sweeper.SweepAsync(CancellationToken.None));

        Assert.Empty(await container.GetBlobsAsync().ToListAsync());
    }
}
