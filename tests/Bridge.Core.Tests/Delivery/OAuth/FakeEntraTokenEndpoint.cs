using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Bridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// A stand-in for Microsoft Entra ID, which has no local emulator: a small Kestrel app on loopback
/// that the real Azure.Identity credentials talk to. Over HTTPS (the test certificate, trusted by
/// its pinned thumbprint) it answers the client credentials flow at
/// <c>/{tenant}/oauth2/v2.0/token</c>; over plain HTTP it answers App Service's managed identity
/// endpoint at <c>/msi/token</c> (what IDENTITY_ENDPOINT points at). Each token request gets the
/// next token of <see cref="Issue"/>, the last one repeating.
/// </summary>
public sealed class FakeEntraTokenEndpoint : IAsyncDisposable
{
    public const string IdentityHeader = "bridge-test-identity-header";

    private readonly WebApplication app;
    private readonly TokenQueue tokens = new("fake-entra-token");

    private FakeEntraTokenEndpoint(WebApplication app, X509Certificate2 certificate, int httpsPort, int httpPort)
    {
        this.app = app;
        Certificate = certificate;
        AuthorityHost = $"https://127.0.0.1:{httpsPort}/";
        IdentityEndpoint = $"http://127.0.0.1:{httpPort}/msi/token";
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>For OAuth:AuthorityHost.</summary>
    public string AuthorityHost { get; }

    /// <summary>For IDENTITY_ENDPOINT.</summary>
    public string IdentityEndpoint { get; }

    public string ClientId { get; set; } = "6731de76-14a6-49ae-97bc-6eba6914391e";

    /// <summary>The client secret the token endpoint takes; null takes any (and a certificate's signed assertion).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How long each issued token lives.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Token requests answered with a token, in order ("client_credentials", "managed_identity").</summary>
    public IReadOnlyList<string> Requests => tokens.Requests;

    public static async Task<FakeEntraTokenEndpoint> StartAsync()
    {
        var certificate = TestCertificates.CreateLocalhost();
        var (httpsPort, httpPort) = (FreePort.Next(), FreePort.Next());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, httpsPort, listen => listen.UseHttps(certificate));
            kestrel.Listen(IPAddress.Loopback, httpPort);
        });
        var app = builder.Build();
        var endpoint = new FakeEntraTokenEndpoint(app, certificate, httpsPort, httpPort);
        app.MapPost("/{tenant}/oauth2/v2.0/token", (Delegate)endpoint.ClientCredentialsAsync);
        app.MapGet("/msi/token", (Delegate)endpoint.ManagedIdentity);
        await app.StartAsync();
        return endpoint;
    }

    /// <summary>A clean slate for the next test: the given client secret, fresh tokens, no requests recorded.</summary>
    public void Reset(string? clientSecret)
    {
        ClientSecret = clientSecret;
        Lifetime = TimeSpan.FromHours(1);
        tokens.Reset();
    }

    /// <summary>The tokens to hand out from now on, in order; the last one repeats.</summary>
    public void Issue(params string[] next) => tokens.Issue(next);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Certificate.Dispose();
    }

    private async Task<IResult> ClientCredentialsAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var secretOk = ClientSecret is null ? form.ContainsKey("client_secret") || form.ContainsKey("client_assertion") : form["client_secret"] == ClientSecret;
        if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || !secretOk)
        {
            // Entra's own answer to a wrong secret: the secret itself is never echoed.
            return Results.Json(new Dictionary<string, object>
            {
                ["error"] = "invalid_client",
                ["error_description"] = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
                ["error_codes"] = new[] { 7000215 },
            }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var token = tokens.Next("client_credentials");
        var seconds = (int)Lifetime.TotalSeconds;
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer", ["expires_in"] = seconds, ["ext_expires_in"] = seconds, ["access_token"] = token,
        });
    }

    private IResult ManagedIdentity(HttpContext context)
    {
        if (context.Request.Headers["X-IDENTITY-HEADER"] != IdentityHeader)
        {
            return Results.Json(new Dictionary<string, object> { ["error"] = "invalid_request" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var token = tokens.Next("managed_identity");
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["expires_on"] = DateTimeOffset.UtcNow.Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = context.Request.Query["resource"].ToString(),
            ["token_type"] = "Bearer",
        });
    }
}
