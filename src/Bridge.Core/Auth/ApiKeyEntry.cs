namespace Bridge.Core.Auth;

/// <summary>One API key as configured under <c>Bridge:ApiKeys:&lt;name&gt;</c>: only its hash is stored.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Hex SHA-256 of the key.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Comma-separated scopes: send, read, admin.</summary>
    public string? Scopes { get; set; }

    /// <summary>Comma-separated SMTP profiles this key may use; empty allows every profile.</summary>
    public string? Profiles { get; set; }

    /// <summary>Comma-separated addresses or <c>@domain</c> entries this key may send as; empty allows any.</summary>
    public string? AllowedFrom { get; set; }
}
