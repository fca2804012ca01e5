namespace Bridge.Core.Secrets;

/// <summary>
/// The secret store could not be asked (unreachable, throttling past the client's retries, no token for
/// the identity, access refused): a transient failure, unlike <see cref="SecretNotFoundException"/>. The
/// message names the secret and the store, never a value.
/// </summary>
public sealed class SecretStoreUnavailableException(string name, string where, string reason, Exception inner)
    : Exception($"Secret '{name}' could not be read from {where}: {reason}.", inner)
{
    public string SecretName { get; } = name;
}
