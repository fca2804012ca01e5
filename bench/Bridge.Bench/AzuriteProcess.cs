using System.Diagnostics;

namespace Bridge.Bench;

/// <summary>
/// A private Azurite on free loopback ports, in memory, for this run (as the test fixtures start it).
/// Started with --skipApiVersionCheck because the current Storage SDKs speak a newer API version.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;

    private AzuriteProcess(Process process, string connectionString)
    {
        this.process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }
    public int Pid => process.Id;

    public static async Task<AzuriteProcess> StartAsync()
    {
        var (blob, queue, table) = (Repo.FreePort(), Repo.FreePort(), Repo.FreePort());
        var start = new ProcessStartInfo(FindExecutable()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl",
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        Children.Track(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        var azurite = new AzuriteProcess(process, connectionString);
        foreach (var port in new[] { blob, queue, table })
        {
            await Repo.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => !process.HasExited);
        }

        return process.HasExited ? throw new InvalidOperationException($"Azurite exited at start with code {process.ExitCode}.") : azurite;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("BRIDGE_AZURITE") is { Length: > 0 } configured)
        {
            return configured;
        }

        var local = Repo.Combine(".tools", "azurite", "node_modules", ".bin", "azurite");
        if (File.Exists(local))
        {
            return local;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "azurite"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Azurite was not found: run scripts/install-tools.sh azurite, set BRIDGE_AZURITE, or pass --storage.");
    }
}
