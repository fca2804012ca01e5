namespace Bridge.Core.Secrets;

/// <summary>Bound from <c>Bridge:KeyVault</c>: the vault that holds the secrets, when there is one.</summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "Bridge:KeyVault";

    /// <summary>The vault's URI (<c>https://&lt;name&gt;.vault.azure.net/</c>); without it secrets come from configuration.</summary>
    public Uri? Uri { get; set; }

    /// <summary>
    /// For tests against a local stand-in of Key Vault only (off by default): the SDK then accepts an
    /// authentication challenge whose resource does not match the vault's host. Never set it in production:
    /// the check keeps a token for Key Vault from being sent to a host that merely claims to be one.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }
}
