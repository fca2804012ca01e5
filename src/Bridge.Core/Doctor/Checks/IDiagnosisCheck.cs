namespace Bridge.Core.Doctor.Checks;

/// <summary>
/// One check of a diagnosis (resolving the host, opening TCP, reading the greeting, ...). It reports
/// one or more <see cref="DiagnosisStep"/>s on the session and returns false when the run must stop
/// there. A new check is a new class here plus its place in <see cref="DiagnosisPlan"/>.
/// </summary>
internal interface IDiagnosisCheck
{
    Task<bool> RunAsync(DiagnosisSession session);
}
