using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Core.Auth;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>Azurite, a STARTTLS+AUTH SMTP server and Bridge.Server, started once for a collection.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string ApiKey = "integration-key-0001";
    public const string SmtpUser = "relay@shop.example";
    public const string SmtpPassword = "s3cret-Passw0rd!";
    public const string WrongPassword = "wr0ng-Passw0rd!";

    public Azurite Azurite { get; private set; } = null!;
    public TestSmtpServer Smtp { get; private set; } = null!;
    public BridgeServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, SmtpUser, SmtpPassword);
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
        };
        foreach (var (profile, secret) in new[] { ("default", "SmtpPassword"), ("wrongpass", "StalePassword") })
        {
            settings[$"Bridge__Smtp__Profiles__{profile}__Host"] = "localhost";
            settings[$"Bridge__Smtp__Profiles__{profile}__Port"] = Smtp.Port.ToString();
            settings[$"Bridge__Smtp__Profiles__{profile}__Security"] = "StartTls";
            settings[$"Bridge__Smtp__Profiles__{profile}__Username"] = SmtpUser;
            settings[$"Bridge__Smtp__Profiles__{profile}__PasswordSecret"] = secret;
            settings[$"Bridge__Smtp__Profiles__{profile}__TrustedCertificateThumbprint"] = Smtp.Thumbprint;
        }

        return settings;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Smtp.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(object body, string? apiKey = ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages") { Content = JsonContent.Create(body) };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new("Bearer", apiKey);
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
