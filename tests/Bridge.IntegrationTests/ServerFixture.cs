using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Core.Auth;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>Azurite, a STARTTLS+AUTH SMTP server and Bridge.Server, started once for a collection.</summary>
public class ServerFixture : IAsyncLifetime
{
    public const string ApiKey = "integration-key-0001";
    public const string AdminKey = "integration-admin-0002";
    public const string BurstKey = "integration-burst-0003";
    public const string DailyKey = "integration-daily-0004";
    public const string BatchDailyKey = "integration-batch-daily-0005";
    public const string CompatDailyKey = "integration-compat-daily-0006";
    public const string CallbackKey = "integration-callback-0007";

    /// <summary>The <c>whsec_</c> secret the callback key's callbacks are signed with.</summary>
    public static readonly string CallbackSecret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Where the callback key's callbacks go (its <c>/flaky</c> path: 500 first, then 200).</summary>
    public CallbackReceiver Callbacks { get; private set; } = null!;
    public const long MaxRequestBytes = 1024 * 1024;
    public const string SmtpUser = "relay@shop.example";
    public const string SmtpPassword = "s3cret-Passw0rd!";
    public const string WrongPassword = "wr0ng-Passw0rd!";

    /// <summary>As a typical client writes JSON: '+' in base64 stays '+' (the .NET default would escape it to six bytes).</summary>
    private static readonly JsonSerializerOptions ClientJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public Azurite Azurite { get; private set; } = null!;
    public TestSmtpServer Smtp { get; private set; } = null!;
    public BridgeServerProcess Server { get; private set; } = null!;

    /// <summary>Where Bridge.Server exports its traces, metrics and logs (OTLP over HTTP).</summary>
    public OtlpReceiver Otlp { get; private set; } = null!;

    /// <summary>Where failover lands: a second working upstream.</summary>
    public TestSmtpServer Backup { get; private set; } = null!;

    /// <summary>
    /// An upstream that answers 421 to senders starting with "tempfail" and 550 5.1.1 to recipients starting with
    /// "nosuchuser"; set once here, so no test changes it under another.
    /// </summary>
    public TestSmtpServer Refusing { get; private set; } = null!;

    /// <summary>A loopback port bound but never listening: connecting is refused, and no other process can take it.</summary>
    private readonly System.Net.Sockets.Socket closedPort = BindClosedPort();

    /// <summary>A profile whose server is not running until a test starts it on this port with this certificate.</summary>
    public int LaterPort { get; } = FreePort.Next();
    public System.Security.Cryptography.X509Certificates.X509Certificate2 LaterCertificate { get; } = TestCertificates.CreateLocalhost();

    public virtual async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, SmtpUser, SmtpPassword);
        Otlp = OtlpReceiver.Start();

        Backup = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, SmtpUser, SmtpPassword);
        Refusing = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, SmtpUser, SmtpPassword);
        Refusing.OnMailFrom = from => from.StartsWith("tempfail", StringComparison.Ordinal)
            ? TestSmtpServer.Reply(421, "4.3.2 Service not available, closing channel")
            : null;
        Refusing.OnRcptTo = to => to.StartsWith("nosuchuser", StringComparison.Ordinal) ? TestSmtpServer.Reply(550, "5.1.1 No such user") : null;
        Callbacks = await CallbackReceiver.StartAsync(CallbackSecret);
        Server = new BridgeServerProcess(Environment());
        await Server.StartAsync();
    }

    public Dictionary<string, string> Environment()
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Bridge__Queue__Name"] = "outbound-mail",
            ["Bridge__Secrets__SmtpPassword"] = SmtpPassword,
            ["Bridge__Secrets__StalePassword"] = WrongPassword,
            ["Bridge__ApiKeys__app__Sha256"] = ApiKeyAuthenticator.HashKey(ApiKey),
            ["Bridge__ApiKeys__app__Scopes"] = "send,read",
            ["Bridge__ApiKeys__app__AllowedFrom"] = "@shop.example",
            ["Bridge__ApiKeys__app__RequestsPerSecond"] = "0", // rate limits have their own keys below
            ["Bridge__ApiKeys__ops__Sha256"] = ApiKeyAuthenticator.HashKey(AdminKey),
            ["Bridge__ApiKeys__ops__Scopes"] = "admin",
            ["Bridge__ApiKeys__burst__Sha256"] = ApiKeyAuthenticator.HashKey(BurstKey),
            ["Bridge__ApiKeys__burst__Scopes"] = "send,read",
            ["Bridge__ApiKeys__burst__RequestsPerSecond"] = "2",
            ["Bridge__ApiKeys__daily__Sha256"] = ApiKeyAuthenticator.HashKey(DailyKey),
            ["Bridge__ApiKeys__daily__Scopes"] = "send,read",
            ["Bridge__ApiKeys__daily__MessagesPerDay"] = "3",
            ["Bridge__ApiKeys__batchdaily__Sha256"] = ApiKeyAuthenticator.HashKey(BatchDailyKey),
            ["Bridge__ApiKeys__batchdaily__Scopes"] = "send,read",
            ["Bridge__ApiKeys__batchdaily__MessagesPerDay"] = "3",
            ["Bridge__ApiKeys__compatdaily__Sha256"] = ApiKeyAuthenticator.HashKey(CompatDailyKey),
            ["Bridge__ApiKeys__compatdaily__Scopes"] = "send,read",
            ["Bridge__ApiKeys__compatdaily__MessagesPerDay"] = "2",
            ["Bridge__Limits__MaxRequestBytes"] = MaxRequestBytes.ToString(),
            ["Bridge__ApiKeys__hooked__Sha256"] = ApiKeyAuthenticator.HashKey(CallbackKey),
            ["Bridge__ApiKeys__hooked__Scopes"] = "send,read",
            ["Bridge__ApiKeys__hooked__CallbackUrl"] = Callbacks.Url("/flaky").ToString(),
            ["Bridge__ApiKeys__hooked__CallbackSecret"] = "CallbackSecret",
            ["Bridge__Secrets__CallbackSecret"] = CallbackSecret,
            // The receiver is on loopback; retries at once, so a test sees the whole ladder.
            ["Bridge__Callbacks__AllowPrivateNetworks"] = "true",
            ["Bridge__Callbacks__RetryDelays"] = "00:00:00,00:00:00",

            // Exported as in production, to a receiver in the test process; quickly, so a test waits little.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",

            // Fast clocks so retries, poison and leases play out within a test.
            ["Bridge__Delivery__InitialRetryDelay"] = "00:00:01",
            ["Bridge__Delivery__MaxRetryDelay"] = "00:00:02",
            ["Bridge__Delivery__SendingLease"] = "00:00:05",
            ["Bridge__Delivery__RecordWait"] = "00:00:06",
            ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
            ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:01",
            ["AzureFunctionsJobHost__extensions__queues__maxDequeueCount"] = "3",

            // One failure opens a profile's circuit, for longer than any test: what health shows is settled.
            ["Bridge__Delivery__CircuitBreakAfter"] = "1",
            ["Bridge__Delivery__CircuitCoolDown"] = "01:00:00",
        };
        var closed = ((System.Net.IPEndPoint)closedPort.LocalEndPoint!).Port;
        foreach (var (profile, secret, port, thumbprint, security, fallback) in new[]
                 {
                     ("default", "SmtpPassword", Smtp.Port, Smtp.Thumbprint, "StartTls", ""),
                     ("wrongpass", "StalePassword", Smtp.Port, Smtp.Thumbprint, "StartTls", ""),
                     ("later", "SmtpPassword", LaterPort, TestCertificates.Sha256Thumbprint(LaterCertificate), "StartTls", ""),
                     ("backup", "SmtpPassword", Backup.Port, Backup.Thumbprint, "StartTls", ""),
                     ("closedport", "SmtpPassword", closed, Smtp.Thumbprint, "StartTls", "backup"),
                     ("says421", "SmtpPassword", Refusing.Port, Refusing.Thumbprint, "StartTls", "backup"),
                     ("tlsmismatch", "SmtpPassword", Refusing.Port, Refusing.Thumbprint, "SslOnConnect", "backup"),
                     ("rejects550", "SmtpPassword", Refusing.Port, Refusing.Thumbprint, "StartTls", "backup"),
                 })
        {
            settings[$"Bridge__Smtp__Profiles__{profile}__Host"] = "localhost";
            settings[$"Bridge__Smtp__Profiles__{profile}__Port"] = port.ToString();
            settings[$"Bridge__Smtp__Profiles__{profile}__Security"] = security;
            if (fallback.Length > 0)
            {
                settings[$"Bridge__Smtp__Profiles__{profile}__Fallback"] = fallback;
                settings[$"Bridge__Smtp__Profiles__{profile}__TimeoutSeconds"] = "15";
            }

            settings[$"Bridge__Smtp__Profiles__{profile}__Username"] = SmtpUser;
            settings[$"Bridge__Smtp__Profiles__{profile}__PasswordSecret"] = secret;
            settings[$"Bridge__Smtp__Profiles__{profile}__TrustedCertificateThumbprint"] = thumbprint;
        }

        Customize(settings);
        return settings;
    }

    /// <summary>Lets a derived fixture run Bridge.Server with other settings.</summary>
    protected virtual void Customize(Dictionary<string, string> settings)
    {
    }

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Otlp.DisposeAsync();
        await Smtp.DisposeAsync();
        await Backup.DisposeAsync();
        await Refusing.DisposeAsync();
        await Callbacks.DisposeAsync();
        await Azurite.DisposeAsync();
        closedPort.Dispose();
        LaterCertificate.Dispose();
    }

    private static System.Net.Sockets.Socket BindClosedPort()
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream,
            System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return socket;
    }

    public static object Mail(string subject, string from = "orders@shop.example", string[]? to = null, string? profile = null) => new
    {
        from,
        to = to ?? ["ann@example.org"],
        subject,
        text = "body of " + subject,
        profile,
    };

    public static string Id(JsonElement accepted) => accepted.GetProperty("id").GetString()!;

    public static IReadOnlyList<string?> EventTypes(JsonElement status) =>
        status.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(
        object? body, string? apiKey = ApiKey, string path = "api/v1/messages", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body, options: ClientJson) };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new("Bearer", apiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
