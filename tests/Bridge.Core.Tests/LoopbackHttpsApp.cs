using System.Net;
using System.Security.Cryptography.X509Certificates;
using Bridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Tests;

/// <summary>
/// A slim Kestrel app over HTTPS on a free loopback port, with a fresh localhost certificate and logging off:
/// what the stand-ins for services without a local emulator (Key Vault, Google's token endpoint) are built on.
/// </summary>
internal static class LoopbackHttpsApp
{
    public static (WebApplication App, X509Certificate2 Certificate, int Port) Build()
    {
        var certificate = TestCertificates.CreateLocalhost();
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        return (builder.Build(), certificate, port);
    }
}
