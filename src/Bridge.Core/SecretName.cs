namespace Bridge.Core;

/// <summary>Secret names are letters and digits: valid in Key Vault and inside environment variable names.</summary>
public static class SecretName
{
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 127 && name.All(char.IsAsciiLetterOrDigit);
}
