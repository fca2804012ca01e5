using Microsoft.Extensions.Configuration;

namespace Bridge.Core.Secrets;

/// <summary>Secrets from configuration (<c>Bridge:Secrets:&lt;name&gt;</c>): for local work only.</summary>
public sealed class ConfigurationSecretStore(IConfiguration configuration) : ISecretStore
{
    public const string SectionName = "Bridge:Secrets";

    public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken) =>
        configuration[$"{SectionName}:{name}"] is { } value
            ? Task.FromResult(value)
            : throw new SecretNotFoundException(name, $"configuration ({SectionName}:{name})");
}
