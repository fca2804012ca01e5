using Bridge.Core.Delivery;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// An OAuth profile with the app's managed identity: the real ManagedIdentityCredential, unchanged,
/// against the fake endpoint as App Service presents it (IDENTITY_ENDPOINT, IDENTITY_HEADER).
/// </summary>
[Collection(ManagedIdentityCollection.Name)]
public sealed class OAuthManagedIdentityTests : IAsyncLifetime
{
    private const string Good = "eyJ0eXAiOiJKV1QiLCJ4NXQiOi.mi-good.a1";
    private const string Stale = "eyJ0eXAiOiJKV1QiLCJ4NXQiOi.mi-stale.b2";

    private readonly Dictionary<string, string?> saved = [];
    private OAuthPeers peers = null!;
    private OAuthRig rig = null!;

    public async Task InitializeAsync()
    {
        peers = await OAuthPeers.StartAsync(implicitTls: false);
        rig = new OAuthRig(peers, acceptedToken: Good);
        foreach (var (name, value) in new[] { ("IDENTITY_ENDPOINT", peers.Entra.IdentityEndpoint), ("IDENTITY_HEADER", FakeEntraTokenEndpoint.IdentityHeader) })
        {
            saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await rig.DisposeAsync();
        await peers.DisposeAsync();
    }

    // MSAL caches managed identity tokens for the whole process, by identity: a user-assigned id of
    // each test's own keeps one test's token out of the next.
    private SmtpProfile Profile() => rig.Profile(o =>
        (o.UseManagedIdentity, o.ManagedIdentityClientId, o.TenantId, o.ClientId, o.ClientSecretName) = (true, Guid.NewGuid().ToString(), null, null, null));

    [Fact]
    public async Task Managed_identity_token_sends()
    {
        rig.Entra.Issue(Good);
        var sender = rig.Sender(Profile());

        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(sender));
        Assert.Equal(["managed_identity"], rig.Entra.Requests);
        Assert.Equal(0, rig.Secrets.Reads);
    }

    [Fact]
    public async Task Refused_managed_identity_token_is_refreshed_past_msal_s_shared_cache()
    {
        rig.Entra.Issue(Stale, Good);

        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(rig.Sender(Profile())));
        Assert.Equal(["managed_identity", "managed_identity"], rig.Entra.Requests);
        Assert.Equal(1, rig.Smtp.AuthFailures);
    }
}
