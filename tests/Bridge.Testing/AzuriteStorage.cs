using Azure.Core;
using Bridge.Core.Storage;
using Microsoft.Extensions.Configuration;

namespace Bridge.Testing;

/// <summary>Bridge's own storage clients pointed at a test's Azurite, built the way the hosts build them.</summary>
public static class AzuriteStorage
{
    /// <param name="configure">Applied to each client's options, e.g. to count its requests.</param>
    public static StorageClients Clients(this Azurite azurite, Action<ClientOptions>? configure = null) => StorageClients.FromConfiguration(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString }).Build(),
        configure);
}
