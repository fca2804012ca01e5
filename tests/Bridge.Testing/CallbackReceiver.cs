using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.Testing;

/// <summary>One POST the receiver took: its path, Standard Webhooks headers, body, and whether the signature checked out.</summary>
public sealed record ReceivedCallback(string Path, string? Id, string? Timestamp, string? Signature, string Body, bool SignatureValid);

/// <summary>
/// A real HTTP receiver for Bridge's callbacks (Kestrel on a free loopback port) that checks each signature with its own
/// implementation of the Standard Webhooks algorithm, not Bridge's signer. Its paths behave differently, so one receiver
/// serves every case: <c>/ok</c> answers 200; <c>/flaky</c> answers 500 to the first delivery of each webhook id, then 200;
/// <c>/hang-once</c> does not answer the first delivery of each id (until the caller gives up), then 200; <c>/never</c>
/// never answers; <c>/redirect</c> answers 302 to <c>/trap</c> on 127.0.0.1, which counts any request that follows it.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string secret;
    private readonly ConcurrentDictionary<string, int> seen = new();

    private CallbackReceiver(WebApplication app, string secret, int port)
    {
        this.app = app;
        this.secret = secret;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<ReceivedCallback> Received { get; } = new();

    /// <summary>Requests that followed the redirect; Bridge must never make one.</summary>
    public int TrapHits => Received.Count(r => r.Path == "/trap");

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    /// <param name="secret">The <c>whsec_</c> secret the callbacks are signed with.</param>
    public static async Task<CallbackReceiver> StartAsync(string secret)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var receiver = new CallbackReceiver(builder.Build(), secret, port);
        receiver.app.Run(receiver.HandleAsync);
        await receiver.app.StartAsync();
        return receiver;
    }

    /// <summary>
    /// The Standard Webhooks signature, written from the specification: HMAC-SHA256 keyed with the base64-decoded part of
    /// the secret after <c>whsec_</c>, over the bytes of "id.timestamp." followed by the body, as <c>v1,&lt;base64&gt;</c>.
    /// </summary>
    public static string ReferenceSignature(string secret, string id, string timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>Waits, bounded, until the receiver holds what <paramref name="done"/> asks for.</summary>
    public async Task<List<ReceivedCallback>> WaitForAsync(Func<IReadOnlyList<ReceivedCallback>, bool> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!done(Received.ToList()))
        {
            await Task.Delay(20, deadline.Token);
        }

        return Received.ToList();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var id = context.Request.Headers["webhook-id"].FirstOrDefault();
        var timestamp = context.Request.Headers["webhook-timestamp"].FirstOrDefault();
        var signature = context.Request.Headers["webhook-signature"].FirstOrDefault();
        var valid = id is not null && timestamp is not null && signature is not null
            && signature.Split(' ').Contains(ReferenceSignature(secret, id, timestamp, body), StringComparer.Ordinal);
        var path = context.Request.Path.Value ?? "/";
        Received.Enqueue(new ReceivedCallback(path, id, timestamp, signature, Encoding.UTF8.GetString(body), valid));
        var delivery = seen.AddOrUpdate($"{path} {id}", 1, (_, n) => n + 1);

        switch (path)
        {
            case "/flaky" when delivery == 1:
                context.Response.StatusCode = 500;
                break;
            case "/hang-once" when delivery == 1:
            case "/never":
                // No answer: wait until the caller gives up and closes the connection.
                await WaitForAbortAsync(context.RequestAborted);
                break;
            case "/redirect":
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = $"http://127.0.0.1:{Port}/trap";
                break;
            default:
                context.Response.StatusCode = valid ? 200 : 401;
                break;
        }
    }

    private static async Task WaitForAbortAsync(CancellationToken aborted)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
        catch (OperationCanceledException)
        {
            // The caller timed out, as the case wants.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
