namespace Bridge.Core.Delivery;

/// <summary>How far a delivery attempt got; the same error means different things at different steps.</summary>
public enum SmtpPhase
{
    Connect,
    Authenticate,
    Send,
}
