using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Google.Apis.Http;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// Google's HTTP client factory with the one change a test needs: a server certificate is also
/// trusted when it is the pinned one (the fake token endpoint's self-signed certificate).
/// </summary>
internal sealed class PinnedGoogleHttpClientFactory(Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool> validate)
    : HttpClientFactory
{
    protected override HttpClientHandler CreateClientHandler()
    {
        var handler = base.CreateClientHandler();
        handler.ServerCertificateCustomValidationCallback = validate;
        return handler;
    }
}
