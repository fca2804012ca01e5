using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>
/// A private Azurite (queues, tables, blobs) on free loopback ports, in memory (or on disk, to survive a
/// restart), for one fixture.
/// Started with --skipApiVersionCheck because the current Storage SDKs speak a newer API version, and
/// with --disableTelemetry: Azurite otherwise reports every request to an outside endpoint, which costs it
/// CPU per request and reaches beyond this machine.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly string? location;
    private Process process = null!;

    private Azurite(int blobPort, int queuePort, int tablePort, IReadOnlyDictionary<string, string>? environment, string? location)
    {
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        this.environment = environment ?? new Dictionary<string, string>();
        this.location = location;
    }

    /// <summary>The Node process, e.g. for a benchmark that reads its CPU time or kills it on Ctrl+C.</summary>
    public int Pid => process.Id;

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey + ";" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <param name="environment">Added to Azurite's environment (the bench sets <c>NODE_OPTIONS</c> here).</param>
    public static Task<Azurite> StartAsync(IReadOnlyDictionary<string, string>? environment = null) =>
        LaunchOnFreePortsAsync(() => new Azurite(FreePort.Next(), FreePort.Next(), FreePort.Next(), environment, location: null));

    /// <summary>
    /// An Azurite that keeps its data in <paramref name="location"/>, so that it can be stopped (a storage
    /// outage) and started again on the same ports with everything it held.
    /// </summary>
    public static Task<Azurite> StartOnDiskAsync(string location) =>
        LaunchOnFreePortsAsync(() => new Azurite(FreePort.Next(), FreePort.Next(), FreePort.Next(), environment: null, location));

    /// <summary>
    /// A port found free can be taken by another process before Azurite binds it (tests start many servers at once):
    /// then Azurite is started again on other free ports, twice at most.
    /// </summary>
    private static async Task<Azurite> LaunchOnFreePortsAsync(Func<Azurite> create)
    {
        for (var attempt = 1; ; attempt++)
        {
            var azurite = create();
            try
            {
                await azurite.LaunchAsync();
                return azurite;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    /// <summary>Azurite could not listen: one of its ports was taken since it was found free.</summary>
    private sealed class PortTakenException(string message) : InvalidOperationException(message);

    /// <summary>Starts a stopped on-disk Azurite again, on the same ports, with the same data.</summary>
    public async Task StartAgainAsync()
    {
        if (location is null || !process.HasExited)
        {
            throw new InvalidOperationException("Only a stopped on-disk Azurite starts again.");
        }

        process.Dispose();
        await LaunchAsync();
    }

    /// <summary>
    /// Stops Azurite the way a service stops (SIGTERM): it closes its ports and writes what it holds to disk,
    /// as durable storage keeps every write it acknowledged; a SIGKILL could lose Azurite's last seconds.
    /// </summary>
    public async Task StopGracefullyAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        _ = Kill(process.Id, 15);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync();
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(FindExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        string[] persistence = location is null ? ["--inMemoryPersistence"] : ["--location", location];
        foreach (var arg in persistence.Concat(
                 [
                     "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                     "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
                 ]))
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            foreach (var port in new[] { BlobPort, QueuePort, TablePort })
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => !process.HasExited);
            }
        }
        catch (System.Net.Sockets.SocketException) when (process.HasExited)
        {
            // Reported below with what Azurite said.
        }

        if (process.HasExited)
        {
            await process.WaitForExitAsync(); // until its error output is read to the end
            var message = $"Azurite exited at start with code {process.ExitCode}: {errors}";
            throw errors.ToString().Contains("EADDRINUSE", StringComparison.Ordinal)
                ? new PortTakenException(message)
                : new InvalidOperationException(message);
        }
    }

    private static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("BRIDGE_AZURITE") is { Length: > 0 } configured)
        {
            return configured;
        }

        var local = RepoPaths.Combine(".tools", "azurite", "node_modules", ".bin", "azurite");
        if (File.Exists(local))
        {
            return local;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "azurite"))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(
            "Azurite was not found. Run scripts/install-tools.sh (or set BRIDGE_AZURITE to the azurite executable).");
    }
}
