using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>
/// Verifies DKIM signatures with dkimpy (Debian's python3-dkim), an implementation independent of the
/// MimeKit signer under test, through tests/peers/dkim-verify.py and a <see cref="LoopbackDns"/>.
/// </summary>
public static class DkimPyVerifier
{
    /// <summary>Debian's interpreter: a pyenv or venv python3 first on PATH does not see python3-dkim.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>One line per signature in header order: "pass", "fail &lt;reason&gt;", or "none" for an unsigned mail.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(byte[] mail, LoopbackDns dns)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bridge-dkim-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(file, mail);
        try
        {
            var start = new ProcessStartInfo(Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(RepoPaths.Combine("tests", "peers", "dkim-verify.py"));
            start.ArgumentList.Add(file);
            start.ArgumentList.Add(dns.Port.ToString());
            using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0
                ? (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                : throw new InvalidOperationException($"dkim-verify.py failed ({process.ExitCode}): {await errors}" +
                                                      " (needs apt:python3-dkim apt:python3-dnspython)");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
