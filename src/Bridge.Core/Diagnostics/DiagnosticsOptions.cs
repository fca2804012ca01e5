namespace Bridge.Core.Diagnostics;

/// <summary>Bound from <c>Bridge:Diagnostics</c>. Everything here is off unless asked for.</summary>
public sealed class DiagnosticsOptions
{
    public const string SectionName = "Bridge:Diagnostics";

    /// <summary>
    /// Counts storage requests, secret-store reads and SMTP connections, and serves them at
    /// <c>GET /api/metrics</c> (admin scope). For benchmarks and investigations.
    /// </summary>
    public bool Metrics { get; set; }
}
