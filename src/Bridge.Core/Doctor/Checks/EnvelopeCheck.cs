using Bridge.Core.Delivery;
using MailKit.Net.Smtp;

namespace Bridge.Core.Doctor.Checks;

/// <summary>MAIL FROM and RCPT TO for the test recipient, then RSET: would the server take the message? Nothing is sent.</summary>
internal sealed class EnvelopeCheck : IDiagnosisCheck
{
    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        if (session.Target.TestRecipient is not { } recipient)
        {
            return session.Skip(DiagnosisStep.Envelope, "No test recipient given: MAIL FROM and RCPT TO were not tried.");
        }

        var started = session.Now;
        if (session.Sender() is not { } sender)
        {
            return session.Fail(DiagnosisStep.Envelope, started, "No sender address to test with.", DoctorFixes.NoSender);
        }

        var client = session.Client;
        using var deadline = session.Deadline();
        try
        {
            var mail = await client.MailFromAsync(sender, deadline.Token).ConfigureAwait(false);
            var rcpt = await client.RcptToAsync(recipient, deadline.Token).ConfigureAwait(false);
            await client.ResetAsync(deadline.Token).ConfigureAwait(false);
            return session.Pass(DiagnosisStep.Envelope, started, $"{sender} → {recipient} would be accepted (nothing was sent).",
                [$"MAIL FROM: {(int)mail.StatusCode} {mail.Response}", $"RCPT TO: {(int)rcpt.StatusCode} {rcpt.Response}"]);
        }
        catch (SmtpCommandException e)
        {
            var who = e.ErrorCode == SmtpErrorCode.SenderNotAccepted ? $"The sender {sender}" : $"The recipient {recipient}";
            var hint = SmtpFailureClassifier.Classify(e, session.Profile, SmtpPhase.Send)?.Hint;
            return session.Fail(DiagnosisStep.Envelope, started, $"{who} was refused: {(int)e.StatusCode} {e.Message}",
                DoctorFixes.EnvelopeRefused(e, sender, recipient, hint));
        }
        catch (Exception e) when (DiagnosisSession.IsSessionFailure(e, deadline))
        {
            return session.Fail(DiagnosisStep.Envelope, started, session.Describe(e), DiagnosisSession.FixFor(e, DiagnosisStep.Envelope));
        }
    }
}
