using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// A stand-in for Google's OAuth 2.0 token endpoint, which has no local emulator: Kestrel on loopback
/// over HTTPS (the test certificate, trusted by its pinned thumbprint), and the service account whose
/// key file points at it (<see cref="KeyJson"/>). It checks the JWT-bearer grant as Google does: the
/// RS256 signature under the account's public key, <c>iss</c> the account, <c>aud</c> Google's token endpoint, a
/// lifetime of an hour at most, <c>sub</c> a user of the domain, and <c>scope</c> one that domain-wide
/// delegation grants; then it answers with the next token of <see cref="Issue"/>, or with Google's error.
/// </summary>
public sealed class FakeGoogleTokenEndpoint : IAsyncDisposable
{
    public const string ClientEmail = "bridge-relay@bridge-test-project.iam.gserviceaccount.com";
    public const string ClientId = "104820375559012345678";
    public const string KeyId = "3f0c9d1e2b7a4c5d6e8f90a1b2c3d4e5f6a7b8c9";
    public const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>
    /// The audience Google's token endpoint takes in an assertion: its own public address, whatever
    /// address the request was sent to (Google.Apis.Auth always names it, even with another token_uri).
    /// </summary>
    public const string Audience = "https://oauth2.googleapis.com/token";

    private readonly WebApplication app;
    private readonly RSA key = RSA.Create(2048);
    private readonly TokenQueue tokens = new("ya29.fake-google-token");
    private readonly ConcurrentQueue<string> refusals = new();

    private FakeGoogleTokenEndpoint(WebApplication app, X509Certificate2 certificate, int port)
    {
        this.app = app;
        Certificate = certificate;
        TokenUri = $"https://127.0.0.1:{port}/token";
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The key file's token_uri: where the grant is sent.</summary>
    public string TokenUri { get; }

    /// <summary>The service account's private key, PKCS#8 PEM, as its key file holds it.</summary>
    public string PrivateKeyPem => key.ExportPkcs8PrivateKeyPem();

    /// <summary>The domain's users, whom the service account may act as.</summary>
    public ISet<string> Users { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The scopes the Admin console's domain-wide delegation grants the account's client id.</summary>
    public ISet<string> DelegatedScopes { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How long each issued token lives (Google's expires_in).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Token requests answered with a token, each by the user it acts as.</summary>
    public IReadOnlyList<string> Requests => tokens.Requests;

    /// <summary>Why requests were refused, in order (the error code and what was wrong).</summary>
    public IReadOnlyList<string> Refusals => refusals.ToList();

    public static async Task<FakeGoogleTokenEndpoint> StartAsync()
    {
        var (app, certificate, port) = LoopbackHttpsApp.Build();
        var endpoint = new FakeGoogleTokenEndpoint(app, certificate, port);
        app.MapPost("/token", (Delegate)endpoint.TokenAsync);
        await app.StartAsync();
        return endpoint;
    }

    /// <summary>A clean slate: <paramref name="user"/> the domain's one user, delegation granted for Gmail, fresh tokens.</summary>
    public void Reset(string user)
    {
        Users.Clear();
        Users.Add(user);
        DelegatedScopes.Clear();
        DelegatedScopes.Add("https://mail.google.com/");
        Lifetime = TimeSpan.FromHours(1);
        refusals.Clear();
        tokens.Reset();
    }

    /// <summary>The tokens to hand out from now on, in order; the last one repeats.</summary>
    public void Issue(params string[] next) => tokens.Issue(next);

    /// <summary>The service account's JSON key file, as Google Cloud console downloads it, pointing at this endpoint.</summary>
    public string KeyJson() => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["project_id"] = "bridge-test-project",
        ["private_key_id"] = KeyId,
        ["private_key"] = PrivateKeyPem,
        ["client_email"] = ClientEmail,
        ["client_id"] = ClientId,
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = TokenUri,
        ["universe_domain"] = "googleapis.com",
    });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Certificate.Dispose();
        key.Dispose();
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != JwtBearer)
        {
            return Refuse("unsupported_grant_type", "Invalid grant_type: " + form["grant_type"]);
        }

        var parts = form["assertion"].ToString().Split('.');
        if (parts.Length != 3)
        {
            return Refuse("invalid_grant", "Invalid JWT: not three parts.");
        }

        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        if (Text(header, "alg") != "RS256" || Text(header, "kid") != KeyId)
        {
            return Refuse("invalid_grant", "Invalid JWT: alg must be RS256 and kid the key's id.");
        }

        if (!key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return Refuse("invalid_grant", "Invalid JWT Signature.");
        }

        using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (issuedAt, expires) = (claims.RootElement.GetProperty("iat").GetInt64(), claims.RootElement.GetProperty("exp").GetInt64());
        if (Text(claims, "iss") != ClientEmail || Text(claims, "aud") != Audience)
        {
            return Refuse("invalid_grant", $"Invalid JWT: iss '{Text(claims, "iss")}' or aud '{Text(claims, "aud")}' is not this account's or endpoint's.");
        }

        if (Math.Abs(issuedAt - now) > 300 || expires <= now || expires - issuedAt > 3600)
        {
            return Refuse("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
        }

        var user = Text(claims, "sub");
        if (user is null || !Users.Contains(user))
        {
            return Refuse("invalid_grant", "Invalid email or User ID");
        }

        if (Text(claims, "scope") is not { } scope || !scope.Split(' ').All(DelegatedScopes.Contains))
        {
            return Refuse("unauthorized_client",
                "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
                StatusCodes.Status401Unauthorized);
        }

        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = tokens.Next(user), ["expires_in"] = (int)Lifetime.TotalSeconds, ["token_type"] = "Bearer",
        });
    }

    private IResult Refuse(string error, string description, int status = StatusCodes.Status400BadRequest)
    {
        refusals.Enqueue($"{error}: {description}");
        return Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);
    }

    private static string? Text(JsonDocument document, string name) =>
        document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] FromBase64Url(string text) => Base64Url.DecodeFromChars(text);
}
