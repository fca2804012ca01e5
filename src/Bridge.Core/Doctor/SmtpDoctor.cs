using Bridge.Core.Deliverability;
using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;
using Bridge.Core.Secrets;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Doctor;

/// <summary>
/// Diagnoses an SMTP profile step by step (DNS, TCP, greeting, EHLO, TLS, AUTH, and optionally the
/// envelope and a test send) and says, per step, what it saw and what to fix. Used by
/// <c>POST /api/v1/smtp/diagnose</c> and by <c>bridge doctor</c>.
/// </summary>
public sealed partial class SmtpDoctor(
    SecretCache secrets, TimeProvider time, ILogger<SmtpDoctor> logger, OAuthTokenSource? oauthTokens = null, DnsDiagnosis? dnsDiagnosis = null)
{
    private readonly SmtpLogin login = new(secrets, oauthTokens ?? OAuthTokenSource.CreateDefault(secrets, time));

    public async Task<Diagnosis> DiagnoseAsync(DiagnosisTarget target, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var profile = target.Profile;
        var diagnosis = new Diagnosis(target.ProfileName, profile.Host, profile.Port, profile.Security, profile.Username, [], [], TimeSpan.Zero);
        if (target.Checks.HasFlag(DoctorChecks.Smtp))
        {
            await using var run = new DiagnosisRun(target, login, time, cancellationToken);
            diagnosis = await run.RunAsync().ConfigureAwait(false);
        }

        if (target.Checks.HasFlag(DoctorChecks.Dns))
        {
            var dns = dnsDiagnosis ?? throw new InvalidOperationException("DNS checks were asked for, but no DnsDiagnosis is registered.");
            diagnosis = diagnosis with
            {
                Deliverability = await dns.DiagnoseAsync(target.SenderDomain!, profile.Host, cancellationToken).ConfigureAwait(false),
                Duration = time.GetElapsedTime(started),
            };
        }

        if (diagnosis.FailedStep is { } failed)
        {
            LogFailed(logger, target.Describe(), diagnosis.Host, diagnosis.Port, failed.Step.Id(), failed.Summary);
        }
        else
        {
            LogPassed(logger, target.Describe(), diagnosis.Host, diagnosis.Port, (long)diagnosis.Duration.TotalMilliseconds);
        }

        return diagnosis;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP diagnosis of {Target} ({Host}:{Port}) failed at {Step}: {Summary}")]
    private static partial void LogFailed(ILogger logger, string target, string host, int port, string step, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP diagnosis of {Target} ({Host}:{Port}) passed in {ElapsedMs} ms")]
    private static partial void LogPassed(ILogger logger, string target, string host, int port, long elapsedMs);
}
