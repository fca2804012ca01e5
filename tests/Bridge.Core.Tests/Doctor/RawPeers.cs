using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bridge.Core.Tests.Doctor;

/// <summary>
/// A loopback TCP server that is wrong on purpose: it accepts connections and then either says
/// nothing at all or says one scripted thing (a refusal, another protocol) and waits.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> accepted = [];
    private readonly Task accepting;

    private readonly List<Task> greetings = [];

    private RawPeer(byte[]? firstWords, TimeSpan greetingDelay = default)
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync(firstWords, greetingDelay);
    }

    public int Port { get; }

    /// <summary>Accepts and never says a word (nor answers a TLS handshake).</summary>
    public static RawPeer Silent() => new(null);

    /// <summary>Accepts and sends <paramref name="text"/> at once, then waits.</summary>
    public static RawPeer Saying(string text) => new(Encoding.ASCII.GetBytes(text));

    /// <summary>
    /// Greets with <paramref name="text"/> only after <paramref name="delay"/> on each connection (as servers
    /// that delay their banner on purpose do), then closes it, so a client's next command fails at once.
    /// </summary>
    public static RawPeer GreetingAfter(TimeSpan delay, string text) => new(Encoding.ASCII.GetBytes(text), delay);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        List<Task> pending;
        lock (greetings)
        {
            pending = [.. greetings];
        }

        try
        {
            await Task.WhenAll(pending);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Stopped while a greeting waited.
        }

        lock (accepted)
        {
            accepted.ForEach(c => c.Dispose());
        }

        stop.Dispose();
    }

    private async Task AcceptAsync(byte[]? firstWords, TimeSpan greetingDelay)
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            lock (accepted)
            {
                accepted.Add(client);
            }

            if (firstWords is not null && greetingDelay > TimeSpan.Zero)
            {
                lock (greetings)
                {
                    greetings.Add(GreetLaterAsync(client, firstWords, greetingDelay));
                }
            }
            else if (firstWords is not null)
            {
                await client.GetStream().WriteAsync(firstWords, stop.Token);
            }
        }
    }

    private async Task GreetLaterAsync(TcpClient client, byte[] text, TimeSpan delay)
    {
        await Task.Delay(delay, stop.Token);
        await client.GetStream().WriteAsync(text, stop.Token);
        client.Client.Shutdown(SocketShutdown.Both);
    }
}

/// <summary>
/// A loopback port whose listener never accepts and whose accept queue is full, so a new connection
/// attempt gets no answer at all: what a firewall that drops packets looks like from the client.
/// </summary>
internal sealed class UnansweredPort : IDisposable
{
    private readonly Socket listener;
    private readonly List<Socket> queued = [];

    private UnansweredPort(Socket listener) => this.listener = listener;

    public int Port => ((IPEndPoint)listener.LocalEndPoint!).Port;

    public static async Task<UnansweredPort> OpenAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = new UnansweredPort(listener);

        // Linux queues backlog + 1 connections, then drops further SYNs: fill the queue until one hangs.
        for (var i = 0; i < 8; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port.Port), timeout.Token);
                port.queued.Add(filler);
            }
            catch (OperationCanceledException)
            {
                filler.Dispose();
                return port;
            }
        }

        port.Dispose();
        throw new InvalidOperationException("The accept queue never filled up; this kernel answers every connection attempt.");
    }

    public void Dispose()
    {
        queued.ForEach(s => s.Dispose());
        listener.Dispose();
    }
}
