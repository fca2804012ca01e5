using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Doctor;
using Bridge.Core.Http;
using Bridge.Core.Secrets;
using Bridge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Doctor;

/// <summary><c>POST /api/v1/smtp/diagnose</c> through the endpoint class (<see cref="DiagnoseCall"/>), against a real STARTTLS server.</summary>
public sealed class DiagnoseEndpointTests : IAsyncLifetime
{
    private const string AdminKey = "admin-key-0001";
    private const string SenderKey = "sender-key-0002";
    private const string OtherAdminKey = "other-admin-0003";
    private const string User = "relay@shop.example";
    private const string Password = "endpoint-Passw0rd!";

    private static readonly X509Certificate2 Certificate = TestCertificates.CreateLocalhost();

    private TestSmtpServer server = null!;
    private DiagnoseEndpoint endpoint = null!;

    public async Task InitializeAsync()
    {
        server = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, User, Password, certificate: Certificate);
        var smtp = TestOptions.Smtp(
            ("default", new SmtpProfile
            {
                Host = "localhost", Port = server.Port, Username = User, PasswordSecret = "SmtpPassword",
                TrustedCertificateThumbprint = server.Thumbprint, TimeoutSeconds = 10,
            }),
            ("other", new SmtpProfile { Host = "localhost", Port = server.Port }));
        var keys = new ApiKeyOptions
        {
            ["admin"] = new() { Sha256 = ApiKeyAuthenticator.HashKey(AdminKey), Scopes = "admin" },
            ["sender"] = new() { Sha256 = ApiKeyAuthenticator.HashKey(SenderKey), Scopes = "send,read" },
            ["otheradmin"] = new() { Sha256 = ApiKeyAuthenticator.HashKey(OtherAdminKey), Scopes = "admin", Profiles = "other" },
        };
        var secrets = new SecretCache(new DictionarySecretStore(new() { ["SmtpPassword"] = Password }), TimeProvider.System, Options.Create(new SecretCacheOptions()));
        endpoint = new DiagnoseEndpoint(
            new ApiGate(new ApiKeyAuthenticator(Options.Create(keys)), new RequestRateLimiter(TimeProvider.System)),
            new JsonBody(TestOptions.Limits()),
            smtp,
            new SmtpDoctor(secrets, TimeProvider.System, NullLogger<SmtpDoctor>.Instance));
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
    }

    private Task<(int Status, JsonElement Body, string Text)> Post(string? key, string body) => DiagnoseCall.PostAsync(endpoint, key, body);

    private string Inline(string password) => JsonSerializer.Serialize(new
    {
        host = "localhost", port = server.Port, security = "StartTls", username = User, password,
        trustedCertificateThumbprint = server.Thumbprint, timeoutSeconds = 10,
    });

    [Fact]
    public async Task No_key_is_401_and_nothing_connects()
    {
        var (status, body, _) = await Post(null, "{}");

        Assert.Equal(401, status);
        Assert.Equal("urn:bridge:problem:unauthorized", body.GetProperty("type").GetString());
        Assert.Equal(0, server.Sessions);
    }

    [Fact]
    public async Task Key_without_the_admin_scope_is_403()
    {
        var (status, body, _) = await Post(SenderKey, "{}");

        Assert.Equal(403, status);
        Assert.Equal("urn:bridge:problem:scope-required", body.GetProperty("type").GetString());
        Assert.Equal(0, server.Sessions);
    }

    [Fact]
    public async Task Admin_key_limited_to_other_profiles_is_403_for_this_one()
    {
        var (status, body, _) = await Post(OtherAdminKey, """{"profile": "default"}""");

        Assert.Equal(403, status);
        Assert.Equal("urn:bridge:problem:profile-not-allowed", body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Admin_key_gets_the_diagnosis_of_the_default_profile_with_every_step()
    {
        var (status, body, _) = await Post(AdminKey, "{}");

        Assert.Equal(200, status);
        Assert.True(body.GetProperty("passed").GetBoolean(), body.GetProperty("fix").ToString());
        Assert.Equal("default", body.GetProperty("profile").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("failedStep").ValueKind);
        Assert.Equal(["dns", "tcp", "greeting", "ehlo", "tls", "auth", "envelope", "send"],
            body.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal("pinned", body.GetProperty("steps")[4].GetProperty("certificate").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Password, true)]
    [InlineData("not-the-right-one", false)]
    public async Task Inline_profile_is_diagnosed_and_its_password_is_never_echoed(string password, bool passes)
    {
        var (status, body, text) = await Post(AdminKey, Inline(password));

        Assert.Equal(200, status);
        Assert.Equal(passes, body.GetProperty("passed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("profile").ValueKind);
        Assert.Equal(User, body.GetProperty("username").GetString());
        Assert.Equal(passes ? null : "auth", body.GetProperty("failedStep").GetString());
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{User}\0{password}")), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_send_through_the_api_delivers_the_test_message()
    {
        var (status, body, _) = await Post(AdminKey, """{"profile": "default", "testRecipient": "ann@example.org", "send": true}""");

        Assert.Equal(200, status);
        Assert.True(body.GetProperty("passed").GetBoolean(), body.GetProperty("fix").ToString());
        Assert.Equal("passed", body.GetProperty("steps")[7].GetProperty("verdict").GetString());
        await server.WaitForMailAsync(m => m.To.Contains("ann@example.org"), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("""{"profile": "nope"}""", "profile")]
    [InlineData("""{"profile": "default", "host": "localhost"}""", "profile")]
    [InlineData("""{"port": 587}""", "host")]
    [InlineData("""{"host": "localhost", "security": "Tls"}""", "security")]
    [InlineData("""{"host": "localhost", "username": "u"}""", "password")]
    [InlineData("""{"send": true}""", "testRecipient")]
    [InlineData("""{"testRecipient": "not an address"}""", "testRecipient")]
    public async Task Invalid_bodies_are_400_naming_the_field(string json, string field)
    {
        var (status, body, _) = await Post(AdminKey, json);

        Assert.Equal(400, status);
        Assert.Equal("urn:bridge:problem:validation", body.GetProperty("type").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.GetProperty("errors").ToString());
        Assert.Equal(0, server.Sessions);
    }

    [Fact]
    public async Task Unknown_fields_are_refused_so_a_misspelt_password_is_not_ignored()
    {
        var (status, body, text) = await Post(AdminKey, """{"host": "localhost", "username": "u", "pasword": "typo-secret"}""");

        Assert.Equal(400, status);
        Assert.Equal("urn:bridge:problem:bad-json", body.GetProperty("type").GetString());
        Assert.DoesNotContain("typo-secret", text, StringComparison.Ordinal);
    }
}
