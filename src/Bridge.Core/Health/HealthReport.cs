using System.Text.Json.Serialization;

namespace Bridge.Core.Health;

/// <summary>The body of <c>GET /api/health</c>: each check by name with "ok" or what is wrong. No secrets.</summary>
public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks)
{
    [JsonIgnore]
    public bool IsHealthy => Status == "healthy";

    /// <summary>SMTP profiles this instance puts behind their fallbacks for now (circuit open); information, not a failure.</summary>
    public IReadOnlyList<string> OpenCircuits { get; init; } = [];
}
