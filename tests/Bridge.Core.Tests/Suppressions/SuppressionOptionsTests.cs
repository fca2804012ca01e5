using Bridge.Core.Bounces;
using Bridge.Core.Suppressions;

namespace Bridge.Core.Tests.Suppressions;

public sealed class SuppressionOptionsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(365, true)]
    [InlineData(0, false)]
    [InlineData(-3, false)]
    [InlineData(100_000, false)]
    public void Days_is_unset_or_a_sane_number(int? days, bool valid)
    {
        var result = new SuppressionOptionsValidator().Validate(null, new SuppressionOptions { Days = days });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Bridge:Suppressions:Days", result.FailureMessage);
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(30, true)]
    [InlineData(3600, true)]
    [InlineData(-1, false)]
    [InlineData(3601, false)]
    public void Absence_cache_is_0_to_an_hour(int seconds, bool valid)
    {
        var result = new SuppressionOptionsValidator().Validate(null, new SuppressionOptions { AbsenceCacheSeconds = seconds });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Bridge:Suppressions:AbsenceCacheSeconds", result.FailureMessage);
        }
    }

    [Theory]
    [InlineData(60, true)]
    [InlineData(15, true)]
    [InlineData(5, false)]
    [InlineData(0, false)]
    public void Poll_seconds_is_at_least_the_timer_tick(int seconds, bool valid)
    {
        var result = new BounceOptionsValidator().Validate(null, new BounceOptions { PollSeconds = seconds });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Bridge:Bounces:PollSeconds", result.FailureMessage);
        }
    }
}
