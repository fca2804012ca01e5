using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Core.Diagnostics;
using Bridge.Testing;

namespace Bridge.Bench;

/// <summary>
/// Bridge.Server as a child process (the built Bridge.Server.dll), configured only through environment
/// variables, as the end-to-end tests start it. Its log tells when each message is sent: the worker logs
/// "Message {id} sent" right after the transaction that records the sent event, so watching the output
/// costs the server nothing extra (polling the API or the table would load the machine being measured).
/// </summary>
public sealed partial class BridgeServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> tail = new();
    private readonly BridgeServerChild child;
    private readonly StreamWriter? log;

    private BridgeServer(string dll, IReadOnlyDictionary<string, string> environment, string adminKey, string? logPath)
    {
        log = logPath is null ? null : new StreamWriter(logPath) { AutoFlush = true };
        AdminKey = adminKey;
        child = new BridgeServerChild(dll, environment, Capture,
            new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) });
        child.Http.Timeout = TimeSpan.FromMinutes(5);
    }

    public HttpClient Http => child.Http;
    public string AdminKey { get; }
    public int Pid => child.Pid;
    public bool HasExited => child.HasExited;

    /// <summary>When each message id was seen sent (a <see cref="Stopwatch"/> timestamp).</summary>
    public ConcurrentDictionary<string, long> SentAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages the server deferred or failed: none are expected, and any is reported.</summary>
    public ConcurrentQueue<string> Trouble { get; } = new();

    public static async Task<BridgeServer> StartAsync(string dll, IReadOnlyDictionary<string, string> environment, string adminKey, string? logPath)
    {
        var server = new BridgeServer(dll, environment, adminKey, logPath);
        try
        {
            await server.child.StartAsync(requireHealthy: true, describeFailure: () => server.Tail(), onStarted: Children.Track);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task<MetricsSnapshot> MetricsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/metrics");
        request.Headers.Authorization = new("Bearer", AdminKey);
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"GET /api/metrics answered {(int)response.StatusCode}; is Bridge:Diagnostics:Metrics on in this build?");
        }

        return await response.Content.ReadFromJsonAsync<MetricsSnapshot>(new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("GET /api/metrics answered nothing.");
    }

    public string Tail(int lines = 40) => string.Join('\n', tail.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        await child.DisposeAsync();
        if (log is not null)
        {
            await log.DisposeAsync();
        }
    }

    private void Capture(string line)
    {
        if (SentLine().Match(line) is { Success: true } sent)
        {
            SentAt.TryAdd(sent.Groups[1].Value, Stopwatch.GetTimestamp());
        }
        else if (TroubleLine().IsMatch(line))
        {
            Trouble.Enqueue(line);
        }

        if (log is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }

        tail.Enqueue(line);
        while (tail.Count > 200)
        {
            tail.TryDequeue(out _);
        }
    }

    [GeneratedRegex(@"Message (\S+) sent on attempt")]
    private static partial Regex SentLine();

    [GeneratedRegex(@"Message (\S+):? (deferred|failed|attempt \d+ crashed)")]
    private static partial Regex TroubleLine();
}
