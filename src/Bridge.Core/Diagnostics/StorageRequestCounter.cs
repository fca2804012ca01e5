using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Bridge.Core.Diagnostics;

/// <summary>
/// Counts every request Bridge's own storage clients send, retries included: a pipeline policy added
/// through <see cref="Storage.StorageClients.FromConfiguration"/>'s configure hook.
/// </summary>
public sealed class StorageRequestCounter
{
    public StorageRequestCounts Counts { get; } = new();

    /// <summary>Adds the counting policy to one client's options (the configure hook).</summary>
    public void Attach(ClientOptions options)
    {
        var service = options switch
        {
            QueueClientOptions => StorageService.Queue,
            TableClientOptions => StorageService.Table,
            BlobClientOptions => StorageService.Blob,
            _ => StorageService.Other,
        };
        options.AddPolicy(new CountingPolicy(Counts, service), HttpPipelinePosition.PerRetry);
    }

    private sealed class CountingPolicy(StorageRequestCounts counts, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            counts.Add(service, message.Request.Uri.ToUri(), message.Request.Method.Method);
    }
}
