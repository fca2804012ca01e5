namespace Bridge.Core.Auth;

/// <summary>What an API key may do.</summary>
public static class ApiScope
{
    public const string Send = "send";
    public const string Read = "read";
    public const string Admin = "admin";

    public static bool IsKnown(string scope) => scope is Send or Read or Admin;
}
