using Bridge.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bridge.Bench;

/// <summary>Bridge's core services in the bench's own process, started as a host would start them (storage created, checks run).</summary>
internal static class BenchServices
{
    /// <param name="add">Registers what must come before the core's own (e.g. counting storage clients).</param>
    public static async Task<ServiceProvider> StartAsync(IConfiguration configuration, Action<IServiceCollection>? add = null)
    {
        var collection = new ServiceCollection().AddLogging().AddSingleton(configuration);
        add?.Invoke(collection);
        var services = collection.AddBridgeCore(configuration).BuildServiceProvider();
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return services;
    }
}
