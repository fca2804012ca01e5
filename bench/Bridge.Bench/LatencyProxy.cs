using System.Net;
using System.Net.Sockets;

namespace Bridge.Bench;

/// <summary>
/// A TCP proxy on 127.0.0.1 that holds each request back before passing it on, so storage on loopback answers with
/// a network's latency: <c>delay</c> for every request, plus <c>tail</c> for a share of them (Azure Storage's
/// published figures are a few milliseconds per operation within a region, with a tail). A request is the first
/// bytes the client sends after the server last answered on that connection; the rest of a large body follows
/// without further delay, as on a real link.
/// </summary>
public sealed class LatencyProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly int targetPort;
    private readonly TimeSpan delay;
    private readonly TimeSpan tail;
    private readonly double tailShare;
    private readonly Task accepting;

    public LatencyProxy(int targetPort, TimeSpan delay, TimeSpan tail, double tailShare)
    {
        (this.targetPort, this.delay, this.tail, this.tailShare) = (targetPort, delay, tail, tailShare);
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The connection string with each service's port replaced by its proxy's.</summary>
    public static string Rewrite(string connectionString, params (int Port, LatencyProxy Proxy)[] proxies) =>
        proxies.Aggregate(connectionString, (text, p) => text.Replace($":{p.Port}/", $":{p.Proxy.Port}/", StringComparison.Ordinal));

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient { NoDelay = true })
        {
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                var answered = new StrongBox<bool>(true);
                var up = PumpAsync(client.GetStream(), server.GetStream(), answered, request: true);
                var down = PumpAsync(server.GetStream(), client.GetStream(), answered, request: false);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A connection closed by either side ends its relay.
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, StrongBox<bool> answered, bool request)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
            {
                if (request && answered.Value)
                {
                    answered.Value = false;
                    await Task.Delay(Random.Shared.NextDouble() < tailShare ? delay + tail : delay, stop.Token);
                }
                else if (!request)
                {
                    answered.Value = true;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }

    private sealed class StrongBox<T>(T value)
    {
        public T Value { get; set; } = value;
    }
}

/// <summary>A <see cref="LatencyProxy"/> in front of each of Azurite's three services, and the connection string through them.</summary>
public sealed class StorageLatency : IAsyncDisposable
{
    private readonly LatencyProxy blobs;
    private readonly LatencyProxy queues;
    private readonly LatencyProxy tables;

    /// <summary>Adds <paramref name="milliseconds"/> to every request, and 10 times that to one request in 50.</summary>
    public StorageLatency(Bridge.Testing.Azurite azurite, double milliseconds)
    {
        var delay = TimeSpan.FromMilliseconds(milliseconds);
        blobs = new LatencyProxy(azurite.BlobPort, delay, delay * 10, 0.02);
        queues = new LatencyProxy(azurite.QueuePort, delay, delay * 10, 0.02);
        tables = new LatencyProxy(azurite.TablePort, delay, delay * 10, 0.02);
        ConnectionString = LatencyProxy.Rewrite(azurite.ConnectionString, (azurite.BlobPort, blobs), (azurite.QueuePort, queues), (azurite.TablePort, tables));
    }

    public string ConnectionString { get; }

    public async ValueTask DisposeAsync()
    {
        await blobs.DisposeAsync();
        await queues.DisposeAsync();
        await tables.DisposeAsync();
    }
}
