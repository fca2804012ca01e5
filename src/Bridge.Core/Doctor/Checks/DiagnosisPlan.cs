using Bridge.Core.Delivery;

namespace Bridge.Core.Doctor.Checks;

/// <summary>Which checks a diagnosis runs, and the order its report lists the steps in, per security mode.</summary>
internal static class DiagnosisPlan
{
    /// <summary>The checks in the order a connection meets them; the first that fails ends the run.</summary>
    public static IReadOnlyList<IDiagnosisCheck> Checks(SmtpSecurity security) => security == SmtpSecurity.SslOnConnect
        ? [new DnsCheck(), new TcpCheck(), new ImplicitTlsSessionCheck(), new AuthCheck(), new EnvelopeCheck(), new SendCheck()]
        : [new DnsCheck(), new TcpCheck(), new GreetingCheck(), new SessionCheck(), new AuthCheck(), new EnvelopeCheck(), new SendCheck()];

    /// <summary>Every step the report lists, in the order this security mode meets them.</summary>
    public static IReadOnlyList<DiagnosisStep> Steps(SmtpSecurity security) => security == SmtpSecurity.SslOnConnect
        ? [DiagnosisStep.Dns, DiagnosisStep.Tcp, DiagnosisStep.Tls, DiagnosisStep.Greeting, DiagnosisStep.Ehlo, DiagnosisStep.Auth, DiagnosisStep.Envelope, DiagnosisStep.Send]
        : [DiagnosisStep.Dns, DiagnosisStep.Tcp, DiagnosisStep.Greeting, DiagnosisStep.Ehlo, DiagnosisStep.Tls, DiagnosisStep.Auth, DiagnosisStep.Envelope, DiagnosisStep.Send];
}
