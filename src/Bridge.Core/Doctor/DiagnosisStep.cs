namespace Bridge.Core.Doctor;

/// <summary>The checks the SMTP doctor makes, in the order a connection meets them.</summary>
public enum DiagnosisStep
{
    /// <summary>The host name resolves to addresses.</summary>
    Dns,

    /// <summary>A TCP connection opens to the port.</summary>
    Tcp,

    /// <summary>The server says "220" (in plain text, or inside TLS for SslOnConnect).</summary>
    Greeting,

    /// <summary>EHLO is answered and the server's capabilities are known.</summary>
    Ehlo,

    /// <summary>STARTTLS or the implicit TLS handshake, with the certificate checked.</summary>
    Tls,

    /// <summary>The login with the profile's username and password.</summary>
    Auth,

    /// <summary>MAIL FROM and RCPT TO for a test recipient (then RSET, nothing sent).</summary>
    Envelope,

    /// <summary>A real test message.</summary>
    Send,
}

/// <summary>How a step is named on the wire (JSON) and to people (the CLI report).</summary>
public static class DiagnosisStepNames
{
    public static string Id(this DiagnosisStep step) => step.ToString().ToLowerInvariant();

    public static string Title(this DiagnosisStep step) => step switch
    {
        DiagnosisStep.Dns => "DNS",
        DiagnosisStep.Tcp => "TCP",
        DiagnosisStep.Greeting => "Greeting",
        DiagnosisStep.Ehlo => "EHLO",
        DiagnosisStep.Tls => "TLS",
        DiagnosisStep.Auth => "AUTH",
        DiagnosisStep.Envelope => "MAIL/RCPT",
        _ => "Test send",
    };
}
