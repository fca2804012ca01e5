using System.Globalization;

namespace Bridge.Bench;

/// <summary>Reads another process's memory and CPU from /proc (Linux), and resets its peak resident set.</summary>
public static class ProcessStats
{
    private static readonly double TicksPerMs = 100.0 / 1000; // USER_HZ is 100 on Linux.

    /// <summary>VmHWM: the peak resident set ("peak working set") since start or the last reset, in bytes.</summary>
    public static long PeakWorkingSet(int pid) => StatusValue(pid, "VmHWM:");

    /// <summary>VmRSS: the resident set now, in bytes.</summary>
    public static long WorkingSet(int pid) => StatusValue(pid, "VmRSS:");

    /// <summary>Resets VmHWM to the current resident set (writes 5 to /proc/PID/clear_refs). False where that is not allowed.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>User plus system CPU time of the process, in milliseconds.</summary>
    public static double CpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerMs;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    private static long StatusValue(int pid, string key)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
