namespace Bridge.Core.Delivery;

/// <summary>
/// The IMAP mailbox a profile's bounces arrive in, bound from <c>Bridge:Smtp:Profiles:&lt;name&gt;:BounceMailbox</c>.
/// Security, AUTH and certificate rules are the SMTP profile's: encrypted unless <see cref="AllowInsecureAuth"/> says otherwise.
/// </summary>
public sealed class BounceMailbox
{
    public string Host { get; set; } = "";

    /// <summary>993 (implicit TLS) unless set; 143 for StartTls.</summary>
    public int Port { get; set; } = 993;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.SslOnConnect;
    public string? Username { get; set; }

    /// <summary>The name of the secret that holds the password (never the password itself).</summary>
    public string? PasswordSecret { get; set; }

    /// <summary>Local work only: allows LOGIN over a connection that is not encrypted.</summary>
    public bool AllowInsecureAuth { get; set; }

    /// <summary>SHA-256 (or SHA-1) thumbprint of a self-signed server certificate to trust explicitly.</summary>
    public string? TrustedCertificateThumbprint { get; set; }

    /// <summary>The folder bounces arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Seconds allowed for each network operation with the server.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}
