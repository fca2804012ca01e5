using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Core.Diagnostics;

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
    private readonly Process process;

    private readonly StreamWriter? log;

    private BridgeServer(Process process, int port, string adminKey, string? logPath)
    {
        this.process = process;
        log = logPath is null ? null : new StreamWriter(logPath) { AutoFlush = true };
        AdminKey = adminKey;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public HttpClient Http { get; }
    public string AdminKey { get; }
    public int Pid => process.Id;

    /// <summary>When each message id was seen sent (a <see cref="Stopwatch"/> timestamp).</summary>
    public ConcurrentDictionary<string, long> SentAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages the server deferred or failed: none are expected, and any is reported.</summary>
    public ConcurrentQueue<string> Trouble { get; } = new();

    public static async Task<BridgeServer> StartAsync(string dll, IReadOnlyDictionary<string, string> environment, string adminKey, string? logPath)
    {
        var port = Repo.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Bridge.Server did not start.");
        Children.Track(process);
        var server = new BridgeServer(process, port, adminKey, logPath);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await server.Http.GetAsync("api/health");
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException("Bridge.Server did not come up healthy:\n" + server.Tail());
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

    public bool HasExited => process.HasExited;

    public string Tail(int lines = 40) => string.Join('\n', tail.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Http.Dispose();
        if (log is not null)
        {
            await log.DisposeAsync();
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

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
