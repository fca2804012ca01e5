using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Bridge.Core.Identity;
using Microsoft.Extensions.Configuration;

namespace Bridge.Core.Storage;

/// <summary>
/// The storage service clients, built once from the same <c>AzureWebJobsStorage</c> setting the
/// Functions host uses: a connection string, or identity-based (<c>__accountName</c> or service URIs).
/// </summary>
public sealed class StorageClients
{
    public StorageClients(QueueServiceClient queues, TableServiceClient tables, BlobServiceClient blobs)
    {
        Queues = queues;
        Tables = tables;
        Blobs = blobs;
    }

    public QueueServiceClient Queues { get; }
    public TableServiceClient Tables { get; }
    public BlobServiceClient Blobs { get; }

    /// <summary>Builds the clients; <paramref name="configure"/> lets hosts add pipeline policies (e.g. counting).</summary>
    public static StorageClients FromConfiguration(IConfiguration configuration, Action<Azure.Core.ClientOptions>? configure = null)
    {
        var queueOptions = new QueueClientOptions { MessageEncoding = OutboxEncoding.QueueMessageEncoding };
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        QuietRequests(queueOptions);
        QuietRequests(tableOptions);
        QuietRequests(blobOptions);
        configure?.Invoke(queueOptions);
        configure?.Invoke(tableOptions);
        configure?.Invoke(blobOptions);

        var connectionString = configuration[StorageNames.ConnectionName]
            ?? configuration.GetConnectionString(StorageNames.ConnectionName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageClients(
                new QueueServiceClient(connectionString, queueOptions),
                new TableServiceClient(connectionString, tableOptions),
                new BlobServiceClient(connectionString, blobOptions));
        }

        var section = configuration.GetSection(StorageNames.ConnectionName);
        var accountName = section["accountName"];
        var queueUri = ServiceUri(section, "queueServiceUri", accountName, "queue");
        var tableUri = ServiceUri(section, "tableServiceUri", accountName, "table");
        var blobUri = ServiceUri(section, "blobServiceUri", accountName, "blob");
        var credential = CreateCredential(section, ManagedIdentityOptions.From(configuration).EffectiveClientId);
        return new StorageClients(
            new QueueServiceClient(queueUri, credential, queueOptions),
            new TableServiceClient(tableUri, credential, tableOptions),
            new BlobServiceClient(blobUri, credential, blobOptions));
    }

    /// <summary>
    /// Leaves out the SDK's per-request logging. Hosts that forward the SDK's events to logging (WebJobs does) have it
    /// format every request's and response's headers on every request, only for the <c>Azure.Core</c> filter (Warning)
    /// to drop the lines; and the error responses it does keep are Bridge's control flow (404s, 409s and 412s), not
    /// warnings. Bridge logs what a failed request means for the message itself, with the message id.
    /// </summary>
    public static void QuietRequests(ClientOptions options) => options.Diagnostics.IsLoggingEnabled = false;

    private static Uri ServiceUri(IConfigurationSection section, string key, string? accountName, string service)
    {
        if (section[key] is { Length: > 0 } explicitUri)
        {
            return new Uri(explicitUri);
        }

        if (string.IsNullOrWhiteSpace(accountName))
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set {StorageNames.ConnectionName} to a connection string " +
                $"(UseDevelopmentStorage=true for Azurite), or {StorageNames.ConnectionName}__accountName / " +
                $"{StorageNames.ConnectionName}__{key} for an identity-based connection.");
        }

        return new Uri($"https://{accountName}.{service}.core.windows.net");
    }

    /// <summary>The identity is chosen by <see cref="ManagedIdentityOptions"/>' one rule, the same as for Key Vault.</summary>
    private static TokenCredential CreateCredential(IConfigurationSection section, string? clientId) =>
        string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
}
