using Bridge.Core.Storage;
using Bridge.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bridge.Core.Diagnostics;

/// <summary>Registers the opt-in cost counters. With <c>Bridge:Diagnostics:Metrics</c> off (the default) nothing changes.</summary>
public static class DiagnosticsRegistration
{
    /// <summary>Call before the storage clients are registered: when metrics are on, this registers them with the counting policy.</summary>
    public static IServiceCollection AddBridgeDiagnostics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiagnosticsOptions>().BindConfiguration(DiagnosticsOptions.SectionName);
        services.AddSingleton<MetricsEndpoint>();
        if (configuration.GetSection(DiagnosticsOptions.SectionName).Get<DiagnosticsOptions>() is not { Metrics: true })
        {
            return services;
        }

        services.AddSingleton<StorageRequestCounter>();
        services.TryAddSingleton(provider =>
            StorageClients.FromConfiguration(configuration, provider.GetRequiredService<StorageRequestCounter>().Attach));
        services.AddSingleton<AzureSdkRequestObserver>();
        services.AddHostedService(provider => provider.GetRequiredService<AzureSdkRequestObserver>());
        services.AddHostedService<CostMeters>();
        services.AddSingleton<MeterReader>();
        return services;
    }
}
