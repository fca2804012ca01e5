using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;
using Azure.Storage.Queues;
using Bridge.Testing;

namespace Bridge.Core.Tests.Storage;

/// <summary>Bridge's storage clients against Azurite, as the SDK's event source reports them.</summary>
public sealed class StorageClientsTests : IAsyncLifetime
{
    private Azurite azurite = null!;

    public async Task InitializeAsync() => azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task Bridges_clients_do_not_log_each_request_where_a_plain_client_does()
    {
        // Both queues' names are this test's own, so requests of other tests running at the same time cannot match.
        var quiet = "quiet-" + Guid.NewGuid().ToString("N");
        var plain = "plain-" + Guid.NewGuid().ToString("N");
        var logged = new ConcurrentBag<string>();
        using (new AzureEventSourceListener((e, message) => logged.Add(message), EventLevel.Verbose))
        {
            await azurite.Clients().Queues.GetQueueClient(quiet).CreateIfNotExistsAsync();
            await new QueueClient(azurite.ConnectionString, plain).CreateIfNotExistsAsync();
        }

        // The plain client shows the listener hears requests; Bridge's made the same request and said nothing.
        Assert.Contains(logged, line => line.Contains(plain, StringComparison.Ordinal));
        Assert.DoesNotContain(logged, line => line.Contains(quiet, StringComparison.Ordinal));
    }
}
