using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>The token cache runs on the injected clock: a token is reused until shortly before it expires.</summary>
public sealed class OAuthTokenSourceTests(OAuthPeers peers) : IClassFixture<OAuthPeers>
{
    [Fact]
    public async Task Token_is_reused_until_five_minutes_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var rig = new OAuthRig(peers, acceptedToken: "unused", clock);
        var profile = rig.Profile();

        var first = await rig.Tokens.GetTokenAsync("default", profile, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(54));
        var later = await rig.Tokens.GetTokenAsync("default", profile, CancellationToken.None);
        Assert.Equal(first, later);
        Assert.Equal(1, rig.Tokens.Acquisitions);

        clock.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: too close to send
        await rig.Tokens.GetTokenAsync("default", profile, CancellationToken.None);
        Assert.Equal(2, rig.Tokens.Acquisitions);
    }

    [Fact]
    public async Task Refresh_gets_a_new_token_and_rereads_the_client_secret()
    {
        await using var rig = new OAuthRig(peers, acceptedToken: "unused");
        var profile = rig.Profile();

        var first = await rig.Tokens.GetTokenAsync("default", profile, CancellationToken.None);
        var fresh = await rig.Tokens.RefreshAsync("default", profile, CancellationToken.None);

        Assert.NotEqual(first, fresh);
        Assert.Equal(2, rig.Entra.Requests.Count);
        Assert.Equal(2, rig.Secrets.Reads);
        Assert.Equal(fresh, await rig.Tokens.GetTokenAsync("default", profile, CancellationToken.None));
    }

    [Fact]
    public async Task Google_token_lives_as_long_as_googles_expires_in_says()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var rig = new OAuthRig(peers, acceptedToken: "unused", clock);
        rig.Google.Lifetime = TimeSpan.FromMinutes(10);
        var profile = rig.GoogleProfile();

        var first = await rig.Tokens.GetTokenAsync("default", profile, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(4)); // 6 minutes left
        Assert.Equal(first, await rig.Tokens.GetTokenAsync("default", profile, CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: too close to send
        Assert.NotEqual(first, await rig.Tokens.GetTokenAsync("default", profile, CancellationToken.None));
        Assert.Equal(2, rig.Google.Requests.Count);
    }
}
