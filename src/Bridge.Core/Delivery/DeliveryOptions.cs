namespace Bridge.Core.Delivery;

/// <summary>Bound from <c>Bridge:Delivery</c>: retry schedule, lifetime and connection reuse.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Bridge:Delivery";

    /// <summary>The first retry waits about this long.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries grow exponentially up to this delay.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Each delay is randomly shortened or lengthened by up to this fraction.</summary>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>A message still not sent this long after it was accepted fails.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>While a message is marked sending, a redelivered copy waits this long before assuming a crash.</summary>
    public TimeSpan SendingLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after accept a first attempt that finds no record of its message keeps looking for it.
    /// Accept writes the record and the queue message at once, and the storage client's default policy
    /// retries a failed write for up to about seven minutes; after this the accept has surely failed (its
    /// client got a 503) and the queue message is dropped unsent. Keep it above that horizon: shorter,
    /// and a slow but successful accept could see its message dropped. Tests shorten it.
    /// </summary>
    public TimeSpan RecordWait { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>This many failures in a row (connect, TLS, auth, 4xx) open a profile's circuit: its fallbacks go first.</summary>
    public int CircuitBreakAfter { get; set; } = 5;

    /// <summary>How long an open circuit keeps its profile behind its fallbacks before it is tried again.</summary>
    public TimeSpan CircuitCoolDown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many open connections per profile in one process.</summary>
    public int MaxConnectionsPerProfile { get; set; } = 8;

    /// <summary>An idle pooled connection is checked with NOOP before reuse after this long.</summary>
    public TimeSpan NoopAfterIdle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An idle pooled connection is closed instead of reused after this long.</summary>
    public TimeSpan MaxIdle { get; set; } = TimeSpan.FromSeconds(60);
}
