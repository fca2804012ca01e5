using System.Globalization;

namespace Bridge.Core.Callbacks;

/// <summary>Bound from <c>Bridge:Callbacks</c>: how Bridge POSTs events to each key's <c>CallbackUrl</c>.</summary>
public sealed class CallbackOptions
{
    public const string SectionName = "Bridge:Callbacks";

    /// <summary>The contract's ladder: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first attempt's failure.</summary>
    public const string DefaultRetryDelays = "00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,10:00:00";

    /// <summary>
    /// Lets callbacks reach private, loopback and link-local addresses. Off by default: a key's callback URL would
    /// otherwise let whoever sets it make Bridge call into its own network (SSRF), e.g. the cloud's metadata endpoint.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one attempt may take, connecting included, before it counts as failed and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Comma-separated delays (hh:mm:ss) before each retry; their count is the number of retries.</summary>
    public string RetryDelays { get; set; } = DefaultRetryDelays;

    /// <summary>Each delay is moved by up to this fraction either way, so the retries of many events do not arrive in a herd.</summary>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>The parsed <see cref="RetryDelays"/>; the validator has checked each entry at start.</summary>
    public IReadOnlyList<TimeSpan> Ladder => ConfigList.Split(RetryDelays)
        .Select(d => TimeSpan.Parse(d, CultureInfo.InvariantCulture)).ToList();
}
