using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Bridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Tests.Secrets;

/// <summary>
/// A stand-in for Azure Key Vault, which has no emulator that runs here: a small Kestrel app over HTTPS
/// on loopback that the real <see cref="SecretClient"/> talks to. It authenticates as the service does: a
/// request without a bearer token gets a 401 with the <c>WWW-Authenticate</c> challenge naming the
/// authority and the resource, and only <see cref="AcceptedToken"/> is let in. <c>GET /secrets/{name}</c>
/// (and <c>/{version}</c>) answers the documented secret bundle (<c>value</c>, <c>id</c>,
/// <c>attributes</c>) or a 404 <c>SecretNotFound</c> error; it can throttle (429 with Retry-After) or be
/// down (every connection dropped). Every authenticated read is counted here, at the vault.
/// </summary>
public sealed class FakeKeyVaultServer : IAsyncDisposable
{
    public const string Challenge =
        "Bearer authorization=\"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47\", resource=\"https://vault.azure.net\"";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, List<string>> versions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(DateTimeOffset At, int Status)> reads = new();
    private int challenges;
    private int throttleNext;

    private FakeKeyVaultServer(WebApplication app, X509Certificate2 certificate, int port)
    {
        this.app = app;
        Certificate = certificate;
        Uri = new Uri($"https://localhost:{port}/");
    }

    public Uri Uri { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>The only bearer token the vault takes (the one the fake token source issues).</summary>
    public string AcceptedToken { get; set; } = "";

    /// <summary>While true, every request's connection is dropped unanswered, as an unreachable vault.</summary>
    public bool Down { get; set; }

    /// <summary>Requests answered with the challenge (no or another token).</summary>
    public int Challenges => Volatile.Read(ref challenges);

    /// <summary>Authenticated secret reads, each with when it was answered and its status.</summary>
    public IReadOnlyList<(DateTimeOffset At, int Status)> Reads => reads.ToList();

    public static async Task<FakeKeyVaultServer> StartAsync()
    {
        var (app, certificate, port) = LoopbackHttpsApp.Build();
        var vault = new FakeKeyVaultServer(app, certificate, port);
        app.MapGet("/secrets/{name}/{version?}", (Delegate)vault.GetSecret);
        await app.StartAsync();
        return vault;
    }

    /// <summary>Stores a new version of the secret, which becomes its current value.</summary>
    public void SetSecret(string name, string value)
    {
        var list = versions.GetOrAdd(name, _ => []);
        lock (list)
        {
            list.Add(value);
        }
    }

    /// <summary>Answers the next <paramref name="count"/> authenticated reads with 429 and Retry-After: 1.</summary>
    public void Throttle(int count) => Interlocked.Exchange(ref throttleNext, count);

    /// <summary>Trusts this vault's certificate by its pinned thumbprint, and keeps the client's retries short.</summary>
    public void Configure(SecretClientOptions options)
    {
        var thumbprint = TestCertificates.Sha256Thumbprint(Certificate);
        options.Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate?.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
        });
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Certificate.Dispose();
    }

    private IResult GetSecret(HttpContext context, string name, string? version)
    {
        if (Down)
        {
            context.Abort();
            return Results.Empty;
        }

        if (context.Request.Headers.Authorization != "Bearer " + AcceptedToken || AcceptedToken.Length == 0)
        {
            Interlocked.Increment(ref challenges);
            context.Response.Headers.WWWAuthenticate = Challenge;
            return Results.Json(new { error = new { code = "Unauthorized", message = "AKV10000: Request is missing a Bearer or PoP token." } },
                statusCode: StatusCodes.Status401Unauthorized);
        }

        if (Interlocked.Decrement(ref throttleNext) >= 0)
        {
            reads.Enqueue((DateTimeOffset.UtcNow, StatusCodes.Status429TooManyRequests));
            context.Response.Headers.RetryAfter = "1";
            return Results.Json(new { error = new { code = "Throttled", message = "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached" } },
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        Interlocked.Exchange(ref throttleNext, 0);
        string? value = null;
        var versionId = version;
        if (versions.TryGetValue(name, out var list))
        {
            lock (list)
            {
                var index = version is null ? list.Count - 1 : Enumerable.Range(0, list.Count).FirstOrDefault(i => VersionId(i) == version, -1);
                if (index >= 0)
                {
                    value = list[index];
                    versionId = VersionId(index);
                }
            }
        }

        if (value is null)
        {
            reads.Enqueue((DateTimeOffset.UtcNow, StatusCodes.Status404NotFound));
            return Results.Json(new { error = new { code = "SecretNotFound", message = $"A secret with (name/id) {name} was not found in this key vault." } },
                statusCode: StatusCodes.Status404NotFound);
        }

        reads.Enqueue((DateTimeOffset.UtcNow, StatusCodes.Status200OK));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Results.Json(new
        {
            value,
            id = new Uri(Uri, $"secrets/{name}/{versionId}").ToString(),
            attributes = new { enabled = true, created = now, updated = now, recoveryLevel = "Recoverable+Purgeable" },
            tags = new { },
        });
    }

    private static string VersionId(int index) => $"{index + 1:x32}";
}
