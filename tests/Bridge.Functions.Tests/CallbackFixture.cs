using System.Security.Cryptography;
using Azure.Storage.Queues;
using Bridge.Core;
using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bridge.Functions.Tests;

/// <summary>
/// The Functions app's services with keys whose callbacks go to a real <see cref="CallbackReceiver"/> (one path per
/// behaviour), layered over <see cref="FunctionsFixture"/>'s Azurite and SMTP server with an outbound queue of its own.
/// The ladder is shortened to two immediate retries and the timeout to 1 s through options. <see cref="Services"/> may
/// call loopback receivers (AllowPrivateNetworks); <see cref="Strict"/> has the default, which refuses them.
/// </summary>
public sealed class CallbackFixture(FunctionsFixture functions) : IAsyncLifetime
{
    public const string Queue = "callback-mail";
    public static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Key name → the receiver path its callbacks go to.</summary>
    public static readonly IReadOnlyDictionary<string, string> Paths = new Dictionary<string, string>
    {
        ["ok"] = "/ok", ["flaky"] = "/flaky", ["hanging"] = "/hang-once", ["redirect"] = "/redirect", ["silent"] = "/never",
    };

    public FunctionsFixture Functions => functions;
    public CallbackReceiver Receiver { get; private set; } = null!;
    public ServiceProvider Services { get; private set; } = null!;
    public ServiceProvider Strict { get; private set; } = null!;

    public static string ApiKey(string name) => "callback-key-" + name;

    public async Task InitializeAsync()
    {
        Receiver = await CallbackReceiver.StartAsync(Secret);
        var settings = new Dictionary<string, string?>
        {
            ["Bridge:Queue:Name"] = Queue,
            ["Bridge:Secrets:CallbackSecret"] = Secret,
            ["Bridge:Callbacks:Timeout"] = "00:00:01",
            ["Bridge:Callbacks:RetryDelays"] = "00:00:00,00:00:00",
        };
        foreach (var (name, path) in Paths)
        {
            settings[$"Bridge:ApiKeys:{name}:Sha256"] = ApiKeyAuthenticator.HashKey(ApiKey(name));
            settings[$"Bridge:ApiKeys:{name}:Scopes"] = "send,read";
            settings[$"Bridge:ApiKeys:{name}:CallbackUrl"] = Receiver.Url(path).ToString();
            settings[$"Bridge:ApiKeys:{name}:CallbackSecret"] = "CallbackSecret";
        }

        Services = await BuildAsync(settings, allowPrivateNetworks: true);
        Strict = await BuildAsync(settings, allowPrivateNetworks: false);
    }

    private async Task<ServiceProvider> BuildAsync(Dictionary<string, string?> settings, bool allowPrivateNetworks)
    {
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(functions.Services.GetRequiredService<IConfiguration>())
            .AddInMemoryCollection(settings)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Bridge:Callbacks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false" })
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBridgeCore(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return services;
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Strict.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>Sends a message with key <paramref name="key"/> and delivers it through the Functions, as the hosts would; returns its id.</summary>
    public async Task<string> SendAndDeliverAsync(string key, ServiceProvider? services = null)
    {
        services ??= Services;
        var context = functions.NewContext(ApiKey(key), Messages.Valid(subject: "callback-" + Guid.NewGuid()));
        context.RequestServices = services;
        var (status, accepted, _) = await FunctionsFixture.ExecuteAsync(
            await ActivatorUtilities.CreateInstance<SendMessageFunction>(services).Run(context.Request, CancellationToken.None), context);
        Assert.Equal(202, status);
        var id = accepted.GetProperty("id").GetString()!;

        var outbound = Client(Queue);
        var message = (await outbound.ReceiveMessagesAsync(32)).Value.Single(m => m.Body.ToString().Contains(id, StringComparison.Ordinal));
        await ActivatorUtilities.CreateInstance<DeliverMessageFunction>(services).Run(message.Body.ToString(), CancellationToken.None);
        await outbound.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        return id;
    }

    /// <summary>
    /// Runs the callback function on the message's callbacks queue items, as the queue trigger would, retries included,
    /// until the timeline holds <paramref name="entries"/> callback entries (bounded); returns the message as the API shows it.
    /// Other messages' items are put back at once.
    /// </summary>
    public async Task<MessageView> DrainCallbacksAsync(string id, int entries, ServiceProvider? services = null)
    {
        services ??= Services;
        var queue = Client(StorageNames.CallbacksQueue);
        var function = ActivatorUtilities.CreateInstance<SendCallbackFunction>(services);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var view = MessageView.Of((await services.GetRequiredService<MessageStore>().GetTimelineAsync(id, CancellationToken.None))!);
            if (view.Events.Count(e => e.Type == "callback") >= entries || DateTimeOffset.UtcNow > deadline)
            {
                return view;
            }

            var items = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            if (items.Length == 0)
            {
                // Polling for the condition above; the retries are due at once (the ladder is zeros).
                await Task.Delay(20);
            }

            foreach (var item in items)
            {
                if (item.Body.ToString().Contains(id, StringComparison.Ordinal))
                {
                    await function.Run(item.Body.ToString(), CancellationToken.None);
                    await queue.DeleteMessageAsync(item.MessageId, item.PopReceipt);
                }
                else
                {
                    await queue.UpdateMessageAsync(item.MessageId, item.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            }
        }
    }

    /// <summary>The message's items still on the callbacks queue (peeked).</summary>
    public async Task<int> QueuedCallbacksAsync(string id) =>
        (await Client(StorageNames.CallbacksQueue).PeekMessagesAsync(32)).Value.Count(m => m.Body.ToString().Contains(id, StringComparison.Ordinal));

    private QueueClient Client(string name) =>
        new(functions.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
}
