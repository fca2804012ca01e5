using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>
/// Bridge.Server as a real child process (a built Bridge.Server.dll) on a free loopback port,
/// configured only through environment variables, as an operator would run it. Every line it writes
/// goes to the output callback. Shared by the end-to-end tests and the benchmark.
/// </summary>
public sealed class BridgeServerChild : IAsyncDisposable
{
    private readonly string dll;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly Action<string> onOutput;
    private Process? process;

    /// <param name="handler">The HTTP client's handler, e.g. with a larger connection pool; a default one otherwise.</param>
    public BridgeServerChild(string dll, IReadOnlyDictionary<string, string> environment, Action<string> onOutput, HttpMessageHandler? handler = null)
    {
        this.dll = dll;
        this.environment = environment;
        this.onOutput = onOutput;
        Port = FreePort.Next();
        Http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{Port}/") };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public int Pid => process?.Id ?? throw new InvalidOperationException("Not started.");

    public bool HasExited => process?.HasExited ?? true;

    /// <summary>Bridge.Server.dll as built in this repository, in the configuration the caller itself was built in.</summary>
    public static string BuiltDll() => Path.Combine(RepoPaths.BuildOutput("Bridge.Server"), "Bridge.Server.dll");

    /// <summary>
    /// Starts the process and waits until it answers <c>/api/health</c>: with any status, or with
    /// <paramref name="requireHealthy"/> only with a success.
    /// </summary>
    /// <param name="onStarted">Called with the process as soon as it exists, e.g. to kill it on Ctrl+C even while it starts.</param>
    public async Task StartAsync(bool requireHealthy = false, Func<string>? describeFailure = null, Action<Process>? onStarted = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{Port}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Bridge.Server did not start.");
        onStarted?.Invoke(process);
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await Http.GetAsync("api/health");
                if (!requireHealthy || response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException("Bridge.Server did not come up" + (requireHealthy ? " healthy" : "") + ":\n" + describeFailure?.Invoke());
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

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        Http.Dispose();
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            onOutput(line);
        }
    }
}
