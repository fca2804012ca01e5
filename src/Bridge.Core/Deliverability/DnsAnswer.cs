namespace Bridge.Core.Deliverability;

/// <summary>
/// What one DNS question got: records, a clean "no such record" (<see cref="NoDomain"/> when the name does
/// not exist at all), or an <see cref="Error"/> (a timeout, a refusal), which is a finding, never an exception.
/// </summary>
public sealed record DnsAnswer<T>(IReadOnlyList<T> Records, string? Error = null, bool NoDomain = false)
{
    public bool Failed => Error is not null;
}
