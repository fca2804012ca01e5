using Bridge.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Core.Tests.Telemetry;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Counters_and_histograms_of_the_bridge_meter_are_written_in_the_prometheus_text_format()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<BridgeTelemetry>().BuildServiceProvider();
        var telemetry = services.GetRequiredService<BridgeTelemetry>();
        using var reader = new MeterReader(telemetry);
        // A profile of its own, so each line below is this test's.
        var profile = "p" + Guid.NewGuid().ToString("N");

        telemetry.Accepted(profile);
        telemetry.Accepted(profile);
        telemetry.Delivered(profile, DeliveryOutcome.Sent, TimeSpan.FromMilliseconds(30));
        telemetry.Delivered(profile, DeliveryOutcome.Sent, TimeSpan.FromSeconds(2));
        telemetry.Delivered(profile, DeliveryOutcome.Deferred, TimeSpan.FromSeconds(20));

        var lines = PrometheusText.Render(reader.Snapshot()).Split('\n');
        string Line(string prefix) => Assert.Single(lines, l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(profile, StringComparison.Ordinal));

        Assert.Contains("# TYPE bridge_messages_accepted_total counter", lines);
        Assert.Contains("# TYPE bridge_delivery_duration_seconds histogram", lines);
        Assert.Equal($"bridge_messages_accepted_total{{bridge_profile=\"{profile}\"}} 2", Line("bridge_messages_accepted_total"));
        Assert.Equal($"bridge_messages_deferred_total{{bridge_profile=\"{profile}\"}} 1", Line("bridge_messages_deferred_total"));
        var sent = $"{{bridge_outcome=\"sent\",bridge_profile=\"{profile}\"";
        // Buckets are cumulative: 30 ms is under 0.05 s, 2 s under 2.5 s, and +Inf holds both.
        Assert.Equal($"bridge_delivery_duration_seconds_bucket{sent},le=\"0.025\"}} 0", Line($"bridge_delivery_duration_seconds_bucket{sent},le=\"0.025\""));
        Assert.Equal($"bridge_delivery_duration_seconds_bucket{sent},le=\"0.05\"}} 1", Line($"bridge_delivery_duration_seconds_bucket{sent},le=\"0.05\""));
        Assert.Equal($"bridge_delivery_duration_seconds_bucket{sent},le=\"1\"}} 1", Line($"bridge_delivery_duration_seconds_bucket{sent},le=\"1\""));
        Assert.Equal($"bridge_delivery_duration_seconds_bucket{sent},le=\"2.5\"}} 2", Line($"bridge_delivery_duration_seconds_bucket{sent},le=\"2.5\""));
        Assert.Equal($"bridge_delivery_duration_seconds_bucket{sent},le=\"+Inf\"}} 2", Line($"bridge_delivery_duration_seconds_bucket{sent},le=\"+Inf\""));
        Assert.Equal($"bridge_delivery_duration_seconds_count{sent}}} 2", Line($"bridge_delivery_duration_seconds_count{sent}"));
        Assert.Equal($"bridge_delivery_duration_seconds_sum{sent}}} 2.03", Line($"bridge_delivery_duration_seconds_sum{sent}"));
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        var series = new MetricSeries("bridge.messages.sent", "{message}", "Sent.", [KeyValuePair.Create("bridge.profile", "a\"b\\c\nd")],
            MetricKind.Counter, 3, 0, []);

        Assert.Contains("bridge_messages_sent_total{bridge_profile=\"a\\\"b\\\\c\\nd\"} 3\n", PrometheusText.Render([series]));
    }

    [Theory]
    [InlineData("ClientId=0a1b;Authorization=AAD", true)]
    [InlineData("Authorization=aad", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("Authorization=Key", false)]
    public void Application_insights_uses_entra_id_only_when_the_authentication_string_asks_for_it(string? authentication, bool entra)
    {
        Assert.Equal(entra, TelemetryRegistration.EntraCredential(authentication) is not null);
    }
}
