namespace Bridge.Core.Delivery;

/// <summary>The profile would send AUTH over a connection that is not encrypted, and does not allow it.</summary>
public sealed class InsecureAuthRefusedException(string profile)
    : Exception($"Profile '{profile}' would send the password over an unencrypted connection; refused.")
{
}
