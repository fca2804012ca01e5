using System.Collections.Concurrent;
using Bridge.Core.Secrets;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>Secrets held in memory for a test, counting the reads that reach the store (past <see cref="SecretCache"/>).</summary>
internal sealed class CountingSecretStore : ISecretStore
{
    private readonly ConcurrentDictionary<string, string> values = new();
    private int reads;

    public int Reads => reads;

    public string this[string name]
    {
        set => values[name] = value;
    }

    public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref reads);
        return values.TryGetValue(name, out var value)
            ? Task.FromResult(value)
            : Task.FromException<string>(new SecretNotFoundException(name, "the test's secret store"));
    }
}
