using Bridge.Core.Delivery;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Delivery;

/// <summary>The circuit breaker's rules, with time moved by a fake clock.</summary>
public sealed class ProfileCircuitsTests
{
    private readonly FakeTimeProvider time = new();
    private readonly ProfileCircuits circuits;

    public ProfileCircuitsTests() =>
        circuits = new ProfileCircuits(Options.Create(new DeliveryOptions { CircuitBreakAfter = 3, CircuitCoolDown = TimeSpan.FromMinutes(1) }), time);

    [Fact]
    public void Opens_after_failures_in_a_row_and_puts_the_profile_behind_its_fallbacks()
    {
        circuits.Failed("primary");
        circuits.Failed("primary");
        Assert.Equal(["primary", "backup"], circuits.Order(["primary", "backup"]));

        circuits.Failed("primary");

        Assert.True(circuits.IsOpen("primary"));
        Assert.Equal(["backup", "primary"], circuits.Order(["primary", "backup"]));
        Assert.Equal(["primary"], circuits.Open());
    }

    [Fact]
    public void A_success_resets_the_count()
    {
        circuits.Failed("primary");
        circuits.Failed("primary");
        circuits.Succeeded("primary");
        circuits.Failed("primary");
        circuits.Failed("primary");

        Assert.False(circuits.IsOpen("primary"));
    }

    [Fact]
    public void After_the_cool_down_one_try_decides_open_again_or_closed()
    {
        for (var i = 0; i < 3; i++)
        {
            circuits.Failed("primary");
        }

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(circuits.IsOpen("primary"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(circuits.IsOpen("primary"));

        circuits.Failed("primary");
        Assert.True(circuits.IsOpen("primary"));

        time.Advance(TimeSpan.FromMinutes(1));
        circuits.Succeeded("primary");
        Assert.Empty(circuits.Open());
        circuits.Failed("primary");
        Assert.False(circuits.IsOpen("primary"));
    }
}
