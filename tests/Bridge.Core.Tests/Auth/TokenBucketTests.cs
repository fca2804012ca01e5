using Bridge.Core.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Auth;

public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public void Allows_a_burst_of_rate_then_asks_to_wait()
    {
        var bucket = new TokenBucket(3, time);

        Assert.Null(bucket.TryTake());
        Assert.Null(bucket.TryTake());
        Assert.Null(bucket.TryTake());
        var wait = bucket.TryTake();

        Assert.NotNull(wait);
        Assert.InRange(wait.Value.TotalMilliseconds, 300, 340);
    }

    [Fact]
    public void Refills_with_time_but_never_above_the_rate()
    {
        var bucket = new TokenBucket(2, time);
        bucket.TryTake();
        bucket.TryTake();

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(bucket.TryTake());
        Assert.Null(bucket.TryTake());
        Assert.NotNull(bucket.TryTake());
    }

    [Fact]
    public void Limiter_keeps_one_bucket_per_key_and_ignores_keys_without_a_limit()
    {
        var limiter = new RequestRateLimiter(time);
        var limited = new ApiCaller("a", new HashSet<string>(), [], [], RequestsPerSecond: 1);
        var other = limited with { KeyName = "b" };
        var unlimited = limited with { KeyName = "c", RequestsPerSecond = 0 };

        Assert.Null(limiter.Check(limited));
        Assert.NotNull(limiter.Check(limited));
        Assert.Null(limiter.Check(other));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Null(limiter.Check(unlimited)));
    }

    [Fact]
    public void A_batch_takes_what_is_there_and_learns_when_the_next_comes()
    {
        var bucket = new TokenBucket(4, time);

        Assert.Equal(3, bucket.TakeUpTo(3).Granted);
        var (granted, nextIn) = bucket.TakeUpTo(10);

        Assert.Equal(1, granted);
        Assert.Equal(TimeSpan.FromMilliseconds(250), nextIn);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, bucket.TakeUpTo(10).Granted);
    }
}
