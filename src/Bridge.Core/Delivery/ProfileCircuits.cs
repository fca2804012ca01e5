using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Delivery;

/// <summary>
/// A circuit breaker per SMTP profile, in this instance: after <see cref="DeliveryOptions.CircuitBreakAfter"/> failures
/// in a row that would fail a message over (connect, TLS, auth, 4xx), the profile is open for
/// <see cref="DeliveryOptions.CircuitCoolDown"/>: its fallbacks are tried before it, instead of every message waiting for
/// it to fail first. After the cool-down the next message tries it again (half-open): a success closes it, a failure
/// opens it for another cool-down. A profile is never skipped outright, only tried last, so a message whose every profile
/// is open still gets a try.
/// </summary>
public sealed class ProfileCircuits(IOptions<DeliveryOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Circuit> circuits = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="profile"/> is open now (in its cool-down).</summary>
    public bool IsOpen(string profile) => circuits.TryGetValue(profile, out var circuit) && circuit.IsOpenAt(time.GetUtcNow());

    /// <summary>The profiles whose circuits are open now, by name.</summary>
    public IReadOnlyList<string> Open()
    {
        var now = time.GetUtcNow();
        return circuits.Where(c => c.Value.IsOpenAt(now)).Select(c => c.Key).Order(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The order to try <paramref name="profiles"/> in: closed ones first, each group as configured.</summary>
    public IReadOnlyList<string> Order(IReadOnlyList<string> profiles) =>
        profiles.Where(p => !IsOpen(p)).Concat(profiles.Where(IsOpen)).ToList();

    public void Succeeded(string profile)
    {
        if (circuits.TryGetValue(profile, out var circuit))
        {
            circuit.Close();
        }
    }

    public void Failed(string profile) =>
        circuits.GetOrAdd(profile, _ => new Circuit()).Fail(time.GetUtcNow(), options.Value.CircuitBreakAfter, options.Value.CircuitCoolDown);

    private sealed class Circuit
    {
        private readonly Lock gate = new();
        private int failures;
        private DateTimeOffset openUntil;

        public bool IsOpenAt(DateTimeOffset now)
        {
            lock (gate)
            {
                return now < openUntil;
            }
        }

        public void Close()
        {
            lock (gate)
            {
                (failures, openUntil) = (0, default);
            }
        }

        public void Fail(DateTimeOffset now, int breakAfter, TimeSpan coolDown)
        {
            lock (gate)
            {
                // A failure after the cool-down (half-open) opens it again at once: one try, not another run of them.
                failures = openUntil != default && now >= openUntil ? breakAfter : failures + 1;
                if (failures >= breakAfter)
                {
                    openUntil = now + coolDown;
                }
            }
        }
    }
}
