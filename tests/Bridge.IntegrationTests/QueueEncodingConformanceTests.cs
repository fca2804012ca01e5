using Azure.Storage.Queues;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.IntegrationTests;

/// <summary>
/// Microsoft's WebJobs queue listener (the one the Functions host loads) is the reference for the
/// wire format: what Bridge's OutboxQueue sends must come out of its QueueTrigger unchanged.
/// </summary>
public sealed class QueueEncodingConformanceTests : IAsyncLifetime
{
    private Azurite azurite = null!;

    public async Task InitializeAsync() => azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task What_the_outbox_sends_is_what_the_queue_trigger_receives()
    {
        var queueName = "conformance-" + Guid.NewGuid().ToString("N")[..8];
        var outbox = new OutboxQueue(azurite.Clients(), Options.Create(new QueueOptions { Name = queueName }));
        await outbox.Queue.CreateIfNotExistsAsync();
        var envelope = new OutboxEnvelope
        {
            Id = Guid.CreateVersion7().ToString("N"), Profile = "default", Sender = "a@shop.example",
            Recipients = ["b@example.org"], AcceptedAt = DateTimeOffset.UtcNow, Mime = "Subject: ünïcode\r\n\r\nbody\r\n",
        };

        await outbox.SendAsync(envelope, TimeSpan.Zero, CancellationToken.None);
        var received = await RunListenerUntilAsync(queueName, TimeSpan.FromSeconds(30));

        Assert.Equal(OutboxQueue.Serialize(envelope), received.Message);
        Assert.Equal(envelope, OutboxQueue.Deserialize(received.Message!) with { Recipients = envelope.Recipients });
        Assert.Equal(envelope.Recipients, OutboxQueue.Deserialize(received.Message!).Recipients);
    }

    [Fact]
    public async Task A_plain_text_message_is_not_what_the_trigger_expects_and_ends_in_poison()
    {
        var queueName = "conformance-" + Guid.NewGuid().ToString("N")[..8];
        var plain = new QueueClient(azurite.ConnectionString, queueName);
        await plain.CreateIfNotExistsAsync();
        await plain.SendMessageAsync("{\"id\": \"not base64\"}");

        var received = await RunListenerUntilAsync(queueName, TimeSpan.FromSeconds(30), expectPoison: true);

        Assert.Null(received.Message);
        var poison = new QueueClient(azurite.ConnectionString, queueName + "-poison");
        Assert.Single((await poison.PeekMessagesAsync()).Value);
    }

    private async Task<ConformanceProbe> RunListenerUntilAsync(string queueName, TimeSpan timeout, bool expectPoison = false)
    {
        var probe = new ConformanceProbe();
        using var host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["ConformanceQueue"] = queueName,
            }))
            .ConfigureWebJobs(b =>
            {
                b.AddAzureStorageCoreServices();
                b.AddAzureStorageQueues(o =>
                {
                    o.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
                    o.MaxDequeueCount = 1;
                });
            })
            .ConfigureServices(s => s.AddSingleton(probe).AddSingleton<ITypeLocator>(new ConformanceTypes()))
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        var poison = new QueueClient(azurite.ConnectionString, queueName + "-poison");
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && probe.Message is null
               && !(expectPoison && await poison.ExistsAsync() && (await poison.PeekMessagesAsync()).Value.Length > 0))
        {
            await Task.Delay(100);
        }

        await host.StopAsync();
        return probe;
    }
}

/// <summary>Collects what the reference trigger received.</summary>
public sealed class ConformanceProbe
{
    public string? Message { get; set; }
}

/// <summary>Only the probe's function: the test assembly is not the entry assembly WebJobs would scan.</summary>
internal sealed class ConformanceTypes : ITypeLocator
{
    public IReadOnlyList<Type> GetTypes() => [typeof(ConformanceFunctions)];
}

/// <summary>A WebJobs function on the probe's queue, as the Functions host would index it.</summary>
public sealed class ConformanceFunctions(ConformanceProbe probe)
{
    [FunctionName("Conformance")]
    public void Run([QueueTrigger("%ConformanceQueue%", Connection = "AzureWebJobsStorage")] string message) => probe.Message = message;
}
