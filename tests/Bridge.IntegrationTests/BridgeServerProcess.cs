using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// Bridge.Server as a real child process (the built Bridge.Server.dll), configured only through
/// environment variables, with its console output captured so tests can read the logs.
/// </summary>
public sealed class BridgeServerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> output = new();
    private readonly IReadOnlyDictionary<string, string> environment;
    private Process? process;

    public BridgeServerProcess(IReadOnlyDictionary<string, string> environment)
    {
        this.environment = environment;
        Port = FreePort.Next();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/") };
    }

    public int Port { get; }
    public HttpClient Http { get; }
    public IEnumerable<string> Output => output;
    public bool HasExited => process?.HasExited ?? true;

    public static string Executable
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release" : "Debug";
            return RepoPaths.Combine("src", "Bridge.Server", "bin", configuration, "net10.0", "Bridge.Server.dll");
        }
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Executable)!,
        };
        start.ArgumentList.Add(Executable);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{Port}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Bridge.Server did not start.");
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await Http.GetAsync("api/health");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new InvalidOperationException("Bridge.Server did not come up:\n" + string.Join('\n', output));
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async Task<JsonElement> WaitForStatusAsync(string apiKey, string id, Func<string, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/messages/{id}");
            request.Headers.Authorization = new("Bearer", apiKey);
            using var response = await Http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                last = (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
                if (done(last.GetProperty("status").GetString()!))
                {
                    return last;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Message {id} did not finish in {timeout}; last seen: {last}\n{string.Join('\n', output.TakeLast(40))}");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        Http.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }
}
