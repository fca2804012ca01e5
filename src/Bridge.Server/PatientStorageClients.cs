using Azure.Core;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;

namespace Bridge.Server;

/// <summary>
/// The WebJobs queue listener's storage clients retry for as long as storage is away, instead of giving up
/// after the SDK's six tries: the listener treats a give-up as unhandled, and WebJobs then ends the process
/// (about 25 s into an outage). Waiting instead, the listener drains again by itself once storage is back.
/// In Azure the Functions host restarts a failed listener itself, so this is Bridge.Server's alone.
/// Bridge's own clients keep the SDK's bounded retries, so an accept during an outage answers 503 promptly.
/// The same clients carry <see cref="ListenerLeasePolicy"/> when <c>Bridge:Queue:ListenerLease</c> is set, and, like
/// Bridge's own, do not log each request (<see cref="StorageClients.QuietRequests"/>).
/// </summary>
internal sealed class PatientStorageClients(AzureComponentFactory inner, IOptions<QueueOptions> queue) : AzureComponentFactory
{
    /// <summary>The longest pause between two tries, and so the longest the listener lags once storage is back.</summary>
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    public override TokenCredential CreateTokenCredential(IConfiguration configuration) => inner.CreateTokenCredential(configuration);

    public override object CreateClientOptions(Type optionsType, object? serviceVersion, IConfiguration configuration)
    {
        var options = inner.CreateClientOptions(optionsType, serviceVersion, configuration);
        if (options is ClientOptions client)
        {
            StorageClients.QuietRequests(client);
            client.Retry.Mode = RetryMode.Exponential;
            client.Retry.MaxRetries = int.MaxValue;
            client.Retry.MaxDelay = MaxRetryDelay;
            if (queue.Value.ListenerLease is { } lease)
            {
                client.AddPolicy(new ListenerLeasePolicy(lease), HttpPipelinePosition.PerCall);
            }
        }

        return options;
    }

    public override object CreateClient(Type clientType, IConfiguration configuration, TokenCredential? credential, object? clientOptions) =>
        inner.CreateClient(clientType, configuration, credential, clientOptions);
}

internal static class PatientStorageClientsRegistration
{
    /// <summary>Wraps the factory WebJobs registered (call after <c>ConfigureWebJobs</c>).</summary>
    public static IServiceCollection AddPatientWebJobsStorage(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(AzureComponentFactory))
            ?? throw new InvalidOperationException("WebJobs registered no AzureComponentFactory; call this after ConfigureWebJobs.");
        services.Remove(registered);
        services.AddSingleton<AzureComponentFactory>(provider => new PatientStorageClients(registered switch
        {
            { ImplementationInstance: AzureComponentFactory instance } => instance,
            { ImplementationFactory: { } factory } => (AzureComponentFactory)factory(provider),
            { ImplementationType: { } type } => (AzureComponentFactory)ActivatorUtilities.CreateInstance(provider, type),
            _ => throw new InvalidOperationException("The registered AzureComponentFactory cannot be built."),
        }, provider.GetRequiredService<IOptions<QueueOptions>>()));
        return services;
    }
}
