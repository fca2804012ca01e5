using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bridge.Core.Telemetry;

/// <summary>
/// Registers <see cref="BridgeTelemetry"/>, log correlation and, when an exporter is configured, the
/// OpenTelemetry SDK: OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set. With neither, no span is sampled and the
/// instruments cost a check each.
/// </summary>
public static class TelemetryRegistration
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string AppInsightsKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ServiceName = "bridge";

    /// <summary>Whether any exporter is configured, so the host adds its own instrumentation to the SDK.</summary>
    public static bool IsExporting(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]) || !string.IsNullOrWhiteSpace(configuration[AppInsightsKey]);

    public static IServiceCollection AddBridgeTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<BridgeTelemetry>();

        // Every log line written inside a span carries its trace and span ids (and, inside a message's scope, its id).
        services.Configure<LoggerFactoryOptions>(options =>
            options.ActivityTrackingOptions |= ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        if (!IsExporting(configuration))
        {
            return services;
        }

        // The Azure SDK's own spans (storage and Key Vault calls) are behind this switch; set only when they are exported.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(BridgeTelemetry.Name)
                .AddSource("Azure.*")
                .AddHttpClientInstrumentation()
                .AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(BridgeTelemetry.Name)
                .AddHttpClientInstrumentation()
                .AddAspNetCoreInstrumentation())
            .WithLogging();

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* settings.
            builder.UseOtlpExporter();
        }

        if (configuration[AppInsightsKey] is { } connectionString && !string.IsNullOrWhiteSpace(connectionString))
        {
            builder.UseAzureMonitorExporter(options => options.ConnectionString = connectionString);
        }

        return services;
    }
}
