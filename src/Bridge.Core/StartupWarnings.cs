using Bridge.Core.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.Core;

/// <summary>Says at start what is fine locally but wrong in production.</summary>
public sealed partial class StartupWarnings(IConfiguration configuration, ILogger<StartupWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(configuration[SecretStoreFactory.KeyVaultUriKey]))
        {
            LogSecretsFromConfiguration(logger, SecretStoreFactory.KeyVaultUriKey, ConfigurationSecretStore.SectionName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{KeyVaultKey} is not set: secrets are read from configuration ({Section}:<name>). Use this for local work only")]
    private static partial void LogSecretsFromConfiguration(ILogger logger, string keyVaultKey, string section);
}
