namespace Bridge.Core.Secrets;

/// <summary>The named secret does not exist in the configured store. The message names the secret, never a value.</summary>
public sealed class SecretNotFoundException(string name, string where)
    : Exception($"Secret '{name}' was not found in {where}.")
{
    public string SecretName { get; } = name;
}
