namespace Bridge.Core.Delivery.OAuth;

/// <summary>The secret a profile names as a Google service account's key is not one. The message never quotes the secret.</summary>
public sealed class InvalidServiceAccountKeyException(string keyName, string problem)
    : Exception($"The secret '{keyName}' is not a Google service account JSON key file: {problem}.")
{
    public string KeyName { get; } = keyName;
}
