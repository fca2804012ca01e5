using Bridge.Core.Secrets;

namespace Bridge.Core.Tests;

/// <summary>Secrets from a dictionary the test may change while the code under test runs (a rotation in Key Vault).</summary>
internal sealed class DictionarySecretStore(Dictionary<string, string> values) : ISecretStore
{
    public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken) =>
        values.TryGetValue(name, out var value) ? Task.FromResult(value) : throw new SecretNotFoundException(name, "the test's store");
}
