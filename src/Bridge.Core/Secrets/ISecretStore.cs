namespace Bridge.Core.Secrets;

/// <summary>Where SMTP passwords and other secrets come from.</summary>
public interface ISecretStore
{
    /// <summary>Returns the secret's current value; throws <see cref="SecretNotFoundException"/> when it does not exist.</summary>
    Task<string> GetSecretAsync(string name, CancellationToken cancellationToken);
}
