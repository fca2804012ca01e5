using Bridge.Core.Delivery.OAuth;

namespace Bridge.Core.Delivery;

/// <summary>One upstream SMTP account, bound from <c>Bridge:Smtp:Profiles:&lt;name&gt;</c>.</summary>
public sealed class SmtpProfile
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? Username { get; set; }

    /// <summary>The name of the secret that holds the password (never the password itself).</summary>
    public string? PasswordSecret { get; set; }

    /// <summary>Log in with an OAuth 2.0 access token (XOAUTH2) instead of a password; Username is the mailbox.</summary>
    public OAuthProfile? OAuth { get; set; }

    /// <summary>Comma-separated addresses or <c>@domain</c> entries this profile may send as; empty allows any.</summary>
    public string? AllowedFrom { get; set; }

    /// <summary>Local work only: allows AUTH over a connection that is not encrypted.</summary>
    public bool AllowInsecureAuth { get; set; }

    /// <summary>SHA-256 (or SHA-1) thumbprint of a self-signed server certificate to trust explicitly.</summary>
    public string? TrustedCertificateThumbprint { get; set; }

    /// <summary>Seconds allowed for each network operation with the server.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Comma-separated profiles tried in order when this one fails transiently or by configuration (connect, TLS, auth,
    /// 4xx); never on a recipient's 5xx.
    /// </summary>
    public string? Fallback { get; set; }

    /// <summary>The upstream's per-minute quota (messages per UTC minute, all instances together); 0: none.</summary>
    public int MaxPerMinute { get; set; }

    /// <summary>The upstream's daily quota (messages per UTC day, all instances together); 0: none.</summary>
    public int MaxPerDay { get; set; }

    /// <summary>Where this profile's bounces (delivery status notifications) arrive; read on a timer when set.</summary>
    public BounceMailbox? BounceMailbox { get; set; }

    public IReadOnlyList<string> AllowedFromList => ConfigList.Split(AllowedFrom);

    public IReadOnlyList<string> FallbackList => ConfigList.Split(Fallback);
}
