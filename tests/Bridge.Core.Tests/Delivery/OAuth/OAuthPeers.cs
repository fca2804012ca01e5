using Bridge.Testing;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// The loopback peers an OAuth test talks to, the fake Entra authority, the fake Google token endpoint and the XOAUTH2 server,
/// started once per test class (starting node and Kestrel costs seconds on a small machine); each
/// <see cref="OAuthRig"/> resets them.
/// </summary>
public sealed class OAuthPeers : IAsyncLifetime, IAsyncDisposable
{
    public OAuthPeers()
        : this(implicitTls: false)
    {
    }

    private OAuthPeers(bool implicitTls) => ImplicitTls = implicitTls;

    public bool ImplicitTls { get; }

    public FakeEntraTokenEndpoint Entra { get; private set; } = null!;

    public FakeGoogleTokenEndpoint Google { get; private set; } = null!;

    public XOAuth2SmtpServer Smtp { get; private set; } = null!;

    /// <summary>Peers of a test's own (implicit TLS, or a second set beside the class's).</summary>
    public static async Task<OAuthPeers> StartAsync(bool implicitTls)
    {
        var peers = new OAuthPeers(implicitTls);
        await peers.InitializeAsync();
        return peers;
    }

    public async Task InitializeAsync()
    {
        Entra = await FakeEntraTokenEndpoint.StartAsync();
        Google = await FakeGoogleTokenEndpoint.StartAsync();
        Smtp = await XOAuth2SmtpServer.StartAsync(acceptedToken: "", ImplicitTls);
    }

    public async Task DisposeAsync()
    {
        await Smtp.DisposeAsync();
        await Google.DisposeAsync();
        await Entra.DisposeAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
