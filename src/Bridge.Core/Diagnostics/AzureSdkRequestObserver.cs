using System.Diagnostics;
using Azure.Core;
using Bridge.Core.Storage;
using Microsoft.Extensions.Hosting;

namespace Bridge.Core.Diagnostics;

/// <summary>
/// Counts the storage requests of every Azure SDK client in the process, including those Bridge does
/// not build itself (the WebJobs queue listener's receives and deletes), by listening to Azure.Core's
/// "Azure.Core.Http.Request" diagnostic events. Subscribing makes Azure.Core create an activity per
/// request, which is why this runs only when metrics are switched on.
/// </summary>
public sealed class AzureSdkRequestObserver(StorageClients storage) : IHostedService, IObserver<DiagnosticListener>, IDisposable
{
    private const string ListenerName = "Azure.Core";
    private const string RequestStart = "Azure.Core.Http.Request.Start";

    private readonly List<IDisposable> subscriptions = [];
    private readonly (string Service, Uri Endpoint)[] endpoints =
    [
        (StorageService.Queue, storage.Queues.Uri),
        (StorageService.Table, storage.Tables.Uri),
        (StorageService.Blob, storage.Blobs.Uri),
    ];

    public StorageRequestCounts Counts { get; } = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (subscriptions)
        {
            subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
            subscriptions.Clear();
        }
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name != ListenerName)
        {
            return;
        }

        lock (subscriptions)
        {
            subscriptions.Add(listener.Subscribe(
                new RequestObserver(this),
                name => name.StartsWith("Azure.Core.Http.Request", StringComparison.Ordinal)));
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    private void Count(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        var service = StorageService.Other;
        foreach (var (name, endpoint) in endpoints)
        {
            if (uri.Scheme == endpoint.Scheme && uri.Host == endpoint.Host && uri.Port == endpoint.Port
                && uri.AbsolutePath.StartsWith(endpoint.AbsolutePath, StringComparison.Ordinal))
            {
                service = name;
                break;
            }
        }

        Counts.Add(service, uri, message.Request.Method.Method);
    }

    private sealed class RequestObserver(AzureSdkRequestObserver owner) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RequestStart && value.Value is HttpMessage message)
            {
                owner.Count(message);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
