using Azure.Core;
using Azure.Identity;
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
    public const string AppInsightsAuthenticationKey = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string ServiceName = "bridge";

    /// <summary>Whether any exporter is configured, so the host adds its own instrumentation to the SDK.</summary>
    public static bool IsExporting(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]) || !string.IsNullOrWhiteSpace(configuration[AppInsightsKey]);

    public static IServiceCollection AddBridgeTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[OtlpEndpointKey] is { Length: > 0 } endpoint
            && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            // The SDK would only log it and export nothing; a typo should stop the start, as every other setting does.
            throw new InvalidOperationException($"{OtlpEndpointKey} must be an absolute http or https URL (it is '{endpoint}').");
        }

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
            // Scopes carry the message id (MessageLogScope) into every exported log record.
            .WithLogging(configureBuilder: null, configureOptions: options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
            });

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* settings.
            builder.UseOtlpExporter();
        }

        if (configuration[AppInsightsKey] is { } connectionString && !string.IsNullOrWhiteSpace(connectionString))
        {
            var credential = EntraCredential(configuration[AppInsightsAuthenticationKey]);
            builder.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = credential;
            });
        }

        return services;
    }

    /// <summary>
    /// The credential the Functions host uses for Application Insights (<c>ClientId=...;Authorization=AAD</c>, as
    /// infra/ sets it: the component refuses instrumentation-key ingestion), or null for key-based ingestion.
    /// </summary>
    internal static TokenCredential? EntraCredential(string? authentication)
    {
        var parts = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var mode) || !mode.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
