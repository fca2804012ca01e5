namespace Bridge.Core.Secrets;

/// <summary>How long a secret is reused before it is read again (Key Vault throttles; passwords rotate rarely).</summary>
public sealed class SecretCacheOptions
{
    public const string SectionName = "Bridge:Secrets:Cache";

    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);
}
