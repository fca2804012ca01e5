using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bridge.Bench;

/// <summary>
/// The processes this run started. On Ctrl+C or SIGTERM (e.g. from <c>timeout</c>) they are killed
/// before the bench exits, so nothing outlives it.
/// </summary>
public static class Children
{
    private static readonly List<Process> Processes = [];
    private static readonly List<PosixSignalRegistration> Registrations = [];

    public static void Track(Process process)
    {
        lock (Processes)
        {
            Processes.Add(process);
        }
    }

    public static void KillAllOnSignal()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            Registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                lock (Processes)
                {
                    foreach (var process in Processes)
                    {
                        try
                        {
                            if (!process.HasExited)
                            {
                                process.Kill(entireProcessTree: true);
                            }
                        }
                        catch (InvalidOperationException)
                        {
                            // Already gone.
                        }
                    }
                }

                Console.Error.WriteLine($"bench: stopped by {context.Signal}; child processes killed.");
                context.Cancel = false;
            }));
        }
    }
}
