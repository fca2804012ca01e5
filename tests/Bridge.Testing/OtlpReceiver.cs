using System.Collections.Concurrent;
using System.Net;

namespace Bridge.Testing;

/// <summary>
/// A small OTLP/HTTP endpoint in the test process: it answers 200 to every POST (e.g. <c>/v1/traces</c>,
/// <c>/v1/metrics</c>, <c>/v1/logs</c>) and keeps the protobuf bodies. Strings travel verbatim in protobuf,
/// so a test can look for a message id or a metric's name in the bytes without decoding them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> received = new();
    private readonly Task serving;

    private OtlpReceiver(int port)
    {
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(Endpoint.ToString());
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public static OtlpReceiver Start() => new(FreePort.Next());

    /// <summary>The bodies received on <paramref name="path"/> (e.g. <c>/v1/traces</c>).</summary>
    public IReadOnlyList<byte[]> Bodies(string path) => received.Where(r => r.Path == path).Select(r => r.Body).ToList();

    /// <summary>Whether a body received on <paramref name="path"/> contains <paramref name="text"/> (UTF-8).</summary>
    public bool Contains(string path, string text) => Contains(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Whether a body received on <paramref name="path"/> contains these bytes (a trace id travels as 16 raw bytes).</summary>
    public bool Contains(string path, byte[] needle) => Bodies(path).Any(body => body.AsSpan().IndexOf(needle) >= 0);

    /// <summary>Every span received so far, decoded.</summary>
    public IReadOnlyList<OtlpSpan> Spans() => Bodies("/v1/traces").SelectMany(OtlpSpan.Parse).ToList();

    /// <summary>Waits until the spans received satisfy <paramref name="done"/>; exporters send on their own schedule.</summary>
    public async Task<IReadOnlyList<OtlpSpan>> WaitForSpansAsync(Func<IReadOnlyList<OtlpSpan>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spans = Spans();
            if (done(spans))
            {
                return spans;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The spans received within {timeout} do not match ({spans.Count}: {string.Join(", ", spans.Select(s => s.Name).Distinct())}).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until a body received on <paramref name="path"/> contains <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string path, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Contains(path, text))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Nothing with '{text}' arrived on {path} within {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }
}
