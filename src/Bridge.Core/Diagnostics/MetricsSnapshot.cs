namespace Bridge.Core.Diagnostics;

/// <summary>
/// What <c>GET /api/metrics</c> answers: counters since the process started, to be read twice and subtracted.
/// </summary>
/// <param name="StorageRequests">Requests sent by Bridge's own storage clients.</param>
/// <param name="AllStorageRequests">Requests sent by every Azure SDK client in the process (with the queue listener's), by service.</param>
/// <param name="SecretStoreReads">Reads that reached the secret store (Key Vault), past the cache.</param>
/// <param name="SmtpConnectionsOpened">SMTP connections opened to upstream servers.</param>
/// <param name="Process">The process's own resource use.</param>
public sealed record MetricsSnapshot(
    RequestCounts StorageRequests,
    RequestCounts AllStorageRequests,
    long SecretStoreReads,
    long SmtpConnectionsOpened,
    ProcessUsage Process);

/// <summary>A total and its breakdown by operation (e.g. <c>queue.POST</c>, <c>table.batch</c>).</summary>
public sealed record RequestCounts(long Total, IReadOnlyDictionary<string, long> Operations);

/// <summary>
/// Working set, CPU time, what the garbage collector did, the thread pool's size (it grows when work blocks threads), and
/// the time the JIT spent compiling (part of the CPU time, paid once per method and tier: a run that includes it did not
/// measure the steady state).
/// </summary>
public sealed record ProcessUsage(
    long WorkingSetBytes,
    long PeakWorkingSetBytes,
    double CpuTimeMs,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    int ThreadPoolThreads,
    double JitTimeMs,
    long JitCompiledMethods);
