namespace Bridge.Core.Delivery;

/// <summary>How a profile secures its connection. StartTls means required: never silently plain.</summary>
public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    None,
}
