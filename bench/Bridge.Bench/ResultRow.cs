namespace Bridge.Bench;

/// <summary>One line of the table: a phase's rate and latency, and what it cost.</summary>
public sealed class ResultRow
{
    public required string Phase { get; init; }
    public required string Sink { get; init; }
    public required int Size { get; init; }
    public required int Messages { get; init; }
    public required int Concurrency { get; init; }
    public required double Seconds { get; init; }
    public required Latencies Latency { get; init; }

    public double Rate => Messages / Seconds;

    /// <summary>E2E rate over the lower of its ceilings.</summary>
    public double? Ratio { get; set; }

    /// <summary>For a paced E2E phase, the rate the messages were offered at, as a fraction of the lower ceiling.</summary>
    public double? Offered { get; set; }

    public double? StorageOpsPerMessage { get; init; }
    public IReadOnlyDictionary<string, long>? StorageOps { get; init; }
    public double? BridgeStorageOpsPerMessage { get; init; }
    public double? SecretReadsPerMessage { get; init; }
    public long? SmtpConnections { get; init; }
    public double? PeakWorkingSetMiB { get; init; }
    public double? ServerCpuMsPerMessage { get; init; }

    /// <summary>The part of <see cref="ServerCpuMsPerMessage"/> the server's JIT spent compiling: one-off, not the steady state.</summary>
    public double? ServerJitMsPerMessage { get; init; }
    public double? AzuriteCpuMsPerMessage { get; init; }
    public double? ServerAllocatedKiBPerMessage { get; init; }
    public int? MaxQueueDepth { get; init; }
    public int Failures { get; init; }
    public string? Note { get; init; }

    /// <summary>E2E phases: latency of bare queue puts made alongside the phase (<see cref="BarePutProbe"/>).</summary>
    public Latencies? PutAlongside { get; init; }

    /// <summary>Latency of the bare queue put alone (storage ceiling only).</summary>
    public Latencies? PutLatency { get; init; }
}
