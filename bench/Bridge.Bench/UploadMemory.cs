using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Bridge.Testing;

namespace Bridge.Bench;

/// <summary>
/// <c>upload-memory</c>: Bridge.Server's peak working set, allocations and CPU per message for one large attachment
/// posted as base64 in JSON and as a binary multipart file part, side by side in one process, through an SMTP server
/// in the bench's own process (plain, no TLS; the mail it keeps is the bench's memory, not Bridge.Server's). No root, no Postfix.
/// </summary>
public static class UploadMemory
{
    public const string Command = "upload-memory";

    private const string Usage = """
        Bridge.Bench upload-memory [--server PATH]: peak working set of Bridge.Server for one attachment of
        18.7 MiB as JSON (the largest the 25 MiB JSON limit takes) and as multipart, and of 25 MiB as multipart,
        three messages each, one at a time.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var serverDll = args is ["--server", var path] ? path
            : args.Length == 0 ? RepoPaths.Combine("src", "Bridge.Server", "bin", "Release", "net10.0", "Bridge.Server.dll")
            : null;
        if (serverDll is null || !File.Exists(serverDll))
        {
            Console.Error.WriteLine(serverDll is null ? Usage : $"{serverDll} is missing: build it first (dotnet build -c Release src/Bridge.Server).");
            return 2;
        }

        Children.KillAllOnSignal();
        await using var azurite = await Azurite.StartAsync();
        Children.Track(Process.GetProcessById(azurite.Pid));
        await using var smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain);
        var sink = SinkTarget.Plain("testsmtp", $"127.0.0.1:{smtp.Port}");
        var apiKey = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var server = await BridgeServer.StartAsync(serverDll, BenchRun.ServerEnvironment(azurite.ConnectionString, apiKey, [sink],
            new Dictionary<string, string>()), apiKey, null);
        var memory = new MemoryRun(server, new EndToEnd(server, apiKey, azurite.Pid, azurite.ConnectionString));

        // Warm-up: both readers, the render into a blob and the delivery from one, JIT-compiled before measuring.
        await memory.RunAsync(sink, 5 * 1024 * 1024);
        await memory.RunAsync(sink, 5 * 1024 * 1024, upload: true);
        var rows = new List<MemoryRow>();
        foreach (var (size, upload) in new[] { (MessageFactory.LargestAttachment, false), (MessageFactory.LargestAttachment, true), (25 * 1024 * 1024, true) })
        {
            Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} bench: upload memory, attachment {BenchOptions.FormatSize(size)}, {(upload ? "multipart" : "JSON")}");
            rows.Add(await memory.RunAsync(sink, size, upload));
        }

        var text = new StringBuilder();
        text.AppendLine(FormattableString.Invariant($"Load average at the end (1, 5, 15 min; running/total, last pid): {File.ReadAllText("/proc/loadavg").Trim()}"));
        text.AppendLine();
        Report.AppendMemory(text, rows);
        Console.WriteLine(text);
        return 0;
    }
}
