using Bridge.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Accepted = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
    private readonly RetrySchedule schedule = new(Options.Create(new DeliveryOptions()));

    [Fact]
    public void First_retry_is_within_a_minute_and_delays_double_up_to_an_hour()
    {
        var delays = Enumerable.Range(2, 10)
            .Select(attempt => schedule.DelayBefore(attempt, Accepted, Accepted, jitterSample: 0.5)!.Value.TotalSeconds)
            .ToList();

        Assert.Equal([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600], delays);
    }

    [Theory]
    [InlineData(0.0, 24)]
    [InlineData(0.999999, 36)]
    public void Jitter_stays_within_twenty_percent(double sample, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, schedule.DelayBefore(2, Accepted, Accepted, sample)!.Value.TotalSeconds, precision: 3);

    [Fact]
    public void No_retry_past_the_maximum_age()
    {
        var now = Accepted.AddHours(23).AddMinutes(30);

        Assert.Null(schedule.DelayBefore(20, Accepted, now, jitterSample: 0.5));
        Assert.NotNull(schedule.DelayBefore(2, Accepted, now, jitterSample: 0.5));
    }

    [Fact]
    public void Random_jitter_spreads_retries()
    {
        var delays = Enumerable.Range(0, 50).Select(_ => schedule.DelayBefore(3, Accepted, Accepted)!.Value).Distinct().Count();

        Assert.True(delays > 1);
    }
}
