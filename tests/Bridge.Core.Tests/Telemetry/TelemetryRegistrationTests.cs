using Bridge.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Core.Tests.Telemetry;

public sealed class TelemetryRegistrationTests
{
    private static IConfiguration Settings(string endpoint) =>
        new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create<string, string?>(TelemetryRegistration.OtlpEndpointKey, endpoint)]).Build();

    [Theory]
    [InlineData("localhost:4318")]
    [InlineData("ftp://collector:4318")]
    [InlineData("not a url")]
    public void A_malformed_otlp_endpoint_stops_the_start_naming_the_setting(string endpoint)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddBridgeTelemetry(Settings(endpoint)));

        Assert.Contains(TelemetryRegistration.OtlpEndpointKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_otlp_endpoint_is_taken()
    {
        var services = new ServiceCollection().AddLogging().AddBridgeTelemetry(Settings("http://127.0.0.1:4318"));

        Assert.Contains(services, d => d.ServiceType == typeof(BridgeTelemetry));
    }
}
