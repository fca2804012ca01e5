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

    /// <summary>Requests per second this key may make, per instance; 0 turns the limit off.</summary>
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Messages per UTC day across all instances (e.g. the upstream account's daily cap); 0 turns it off.</summary>
    public int MessagesPerDay { get; set; }

    /// <summary>Where Bridge POSTs this key's message events (http or https); none sends no callbacks.</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>The name of the secret (in the secret store) that signs callbacks: <c>whsec_</c> + base64. Never the secret itself.</summary>
    public string? CallbackSecret { get; set; }
}
