using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>
/// A private Azurite (queues, tables, blobs) on free loopback ports, in memory, for one fixture.
/// Started with --skipApiVersionCheck because the current Storage SDKs speak a newer API version, and
/// with --disableTelemetry: Azurite otherwise reports every request to an outside endpoint, which costs it
/// CPU per request and reaches beyond this machine.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;

    private Azurite(Process process, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
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
    public static async Task<Azurite> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var (blob, queue, table) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var start = new ProcessStartInfo(FindExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        foreach (var arg in new[]
                 {
                     "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, blob, queue, table);
        try
        {
            foreach (var port in new[] { blob, queue, table })
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => !process.HasExited);
            }
        }
        catch (System.Net.Sockets.SocketException) when (process.HasExited)
        {
            // Reported below with what Azurite said.
        }

        return process.HasExited
            ? throw new InvalidOperationException($"Azurite exited at start with code {process.ExitCode}: {errors}")
            : azurite;
    }

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
