using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Bridge.Core;
using Bridge.Core.Auth;
using Bridge.Core.Diagnostics;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bridge.Functions.Tests;

/// <summary>
/// The Functions app's services over a private Azurite and a real SMTP server (STARTTLS + AUTH),
/// so function classes can be called directly, as the Functions host would.
/// </summary>
public sealed class FunctionsFixture : IAsyncLifetime
{
    public const string SenderKey = "sender-key-0001";
    public const string OtherKey = "other-key-0002";
    public const string ReaderKey = "reader-key-0003";
    public const string AdminKey = "admin-key-0004";
    public const string ListerKey = "lister-key-0005";
    public const string FiltererKey = "filterer-key-0006";
    public const string SmtpUser = "relay@shop.example";
    public const string SmtpPassword = "s3cret-Passw0rd!";

    public Azurite Azurite { get; private set; } = null!;
    public TestSmtpServer Smtp { get; private set; } = null!;
    public ServiceProvider Services { get; private set; } = null!;

    /// <summary>Every span the app finished, through OpenTelemetry's in-memory exporter.</summary>
    public List<Activity> Spans { get; } = [];

    /// <summary>Where the app exports OTLP (OTEL_EXPORTER_OTLP_ENDPOINT, http/protobuf).</summary>
    public OtlpReceiver Otlp { get; private set; } = null!;

    /// <summary>Storage failures a test can inject into Bridge's own storage clients (its Azurite stays up).</summary>
    public StorageFaults Faults { get; } = new();

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, SmtpUser, SmtpPassword);
        Otlp = OtlpReceiver.Start();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Bridge:Queue:Name"] = "outbound-mail",
            ["Bridge:Diagnostics:Metrics"] = "true",
            // Every delivery looks its recipients up, so the storage requests the tests count do not depend on which
            // test ran first; the absence cache itself is tested in Bridge.Core.Tests (SuppressionStoreTests).
            ["Bridge:Suppressions:AbsenceCacheSeconds"] = "0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Bridge:Smtp:Profiles:default:Host"] = "localhost",
            ["Bridge:Smtp:Profiles:default:Port"] = Smtp.Port.ToString(),
            ["Bridge:Smtp:Profiles:default:Security"] = "StartTls",
            ["Bridge:Smtp:Profiles:default:Username"] = SmtpUser,
            ["Bridge:Smtp:Profiles:default:PasswordSecret"] = "SmtpPassword",
            ["Bridge:Smtp:Profiles:default:TrustedCertificateThumbprint"] = Smtp.Thumbprint,
            ["Bridge:Smtp:Profiles:other:Host"] = "localhost",
            ["Bridge:Smtp:Profiles:other:Port"] = Smtp.Port.ToString(),
            ["Bridge:Secrets:SmtpPassword"] = SmtpPassword,
            ["Bridge:ApiKeys:sender:Sha256"] = ApiKeyAuthenticator.HashKey(SenderKey),
            ["Bridge:ApiKeys:sender:Scopes"] = "send,read",
            ["Bridge:ApiKeys:sender:Profiles"] = "default",
            ["Bridge:ApiKeys:sender:AllowedFrom"] = "@shop.example",
            ["Bridge:ApiKeys:other:Sha256"] = ApiKeyAuthenticator.HashKey(OtherKey),
            ["Bridge:ApiKeys:other:Scopes"] = "send,read",
            ["Bridge:ApiKeys:reader:Sha256"] = ApiKeyAuthenticator.HashKey(ReaderKey),
            ["Bridge:ApiKeys:reader:Scopes"] = "read",
            ["Bridge:ApiKeys:lister:Sha256"] = ApiKeyAuthenticator.HashKey(ListerKey),
            ["Bridge:ApiKeys:lister:Scopes"] = "read",
            ["Bridge:ApiKeys:filterer:Sha256"] = ApiKeyAuthenticator.HashKey(FiltererKey),
            ["Bridge:ApiKeys:filterer:Scopes"] = "read",
            ["Bridge:ApiKeys:admin:Sha256"] = ApiKeyAuthenticator.HashKey(AdminKey),
            ["Bridge:ApiKeys:admin:Scopes"] = "admin",
        }).Build();
        Services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(provider => StorageClients.FromConfiguration(configuration, options =>
            {
                provider.GetRequiredService<StorageRequestCounter>().Attach(options);
                options.AddPolicy(Faults, Azure.Core.HttpPipelinePosition.PerCall);
            }))
            .AddBridgeCore(configuration)
            .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        foreach (var hosted in Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Smtp.DisposeAsync();
        await Otlp.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    public T Function<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    public HttpContext NewContext(string? apiKey, object? body = null, string? rawBody = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        if (apiKey is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + apiKey;
        }

        var bytes = Encoding.UTF8.GetBytes(rawBody ?? (body is null ? "" : JsonSerializer.Serialize(body)));
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        context.Response.Body = new MemoryStream();
        return context;
    }

    public static async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> ExecuteAsync(IResult result, HttpContext context)
    {
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (context.Response.StatusCode, body, context.Response.Headers);
    }

    /// <summary>Exports what the app's providers hold now, so a test need not wait for their export interval.</summary>
    public void FlushTelemetry()
    {
        Assert.True(Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
    }

    public StorageClients Storage => Services.GetRequiredService<StorageClients>();

    /// <summary>Calls the SendMessage function as the host would and returns its answer.</summary>
    public async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> SendAsync(
        string? apiKey, object? body = null, string? rawBody = null, string? idempotencyKey = null)
    {
        var context = NewContext(apiKey, body, rawBody);
        if (idempotencyKey is not null)
        {
            context.Request.Headers[Core.Messages.IdempotencyKey.HeaderName] = idempotencyKey;
        }

        return await ExecuteAsync(await Function<SendMessageFunction>().Run(context.Request, CancellationToken.None), context);
    }

    /// <summary>Sends <paramref name="body"/>, which must be accepted, and returns the message id.</summary>
    public async Task<string> AcceptAsync(object body, string apiKey = SenderKey, string? idempotencyKey = null)
    {
        var (status, accepted, _) = await SendAsync(apiKey, body, idempotencyKey: idempotencyKey);
        Assert.Equal(202, status);
        return accepted.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Removes the message's visible queue messages and returns their bodies, decoded from base64 as the
    /// trigger hands them over. Other messages are made visible again at once.
    /// </summary>
    public async Task<List<string>> TakeAllQueuedAsync(string messageId)
    {
        var queue = new QueueClient(Azurite.ConnectionString, "outbound-mail", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var taken = new List<string>();
        foreach (var message in (await queue.ReceiveMessagesAsync(32)).Value)
        {
            if (message.Body.ToString().Contains(messageId, StringComparison.Ordinal))
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                taken.Add(message.Body.ToString());
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
        }

        return taken;
    }

    /// <summary>Takes the message's one queue message.</summary>
    public async Task<string> TakeQueuedAsync(string messageId) => Assert.Single(await TakeAllQueuedAsync(messageId));

    /// <summary>Waits (bounded) for the message's queue message to become visible, as one put back with a delay does, and takes it.</summary>
    public async Task<string> TakeQueuedWhenVisibleAsync(string messageId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await TakeAllQueuedAsync(messageId) is { Count: > 0 } taken)
            {
                return Assert.Single(taken);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No queue message of {messageId} became visible within {timeout}.");
            }

            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FunctionsCollection : ICollectionFixture<FunctionsFixture>
{
    public const string Name = "functions";
}
