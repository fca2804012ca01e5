using Bridge.Core.Delivery;
using MailKit.Net.Smtp;

namespace Bridge.Core.Doctor.Checks;

/// <summary>A real test message to the test recipient, only when asked for.</summary>
internal sealed class SendCheck : IDiagnosisCheck
{
    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        var target = session.Target;
        if (!target.Send || target.TestRecipient is not { } recipient || session.Sender() is not { } sender)
        {
            return session.Skip(DiagnosisStep.Send, "Not asked for: no test message was sent.");
        }

        var started = session.Now;
        var message = DoctorTestMessage.Create(sender, recipient, target.Describe(), session.Time.GetUtcNow());
        using var deadline = session.Deadline();
        try
        {
            var reply = await session.Client.SendAsync(message, deadline.Token).ConfigureAwait(false);
            // MailKit returns only after a 2xx to DATA, and hands back the text without the code.
            return session.Pass(DiagnosisStep.Send, started, $"The test message to {recipient} was accepted: 250 {reply}", [$"Message-Id: <{message.MessageId}>"]);
        }
        catch (SmtpCommandException e)
        {
            var failure = SmtpFailureClassifier.Classify(e, session.Profile, SmtpPhase.Send);
            return session.Fail(DiagnosisStep.Send, started, $"The server refused the test message: {(int)e.StatusCode} {e.Message}",
                failure?.Hint ?? (failure?.Kind == FailureKind.Transient
                    ? DoctorFixes.TemporaryRefusal
                    : "The server refused the message itself: read its reply; the content, size or sender may be refused."));
        }
        catch (Exception e) when (DiagnosisSession.IsSessionFailure(e, deadline))
        {
            return session.Fail(DiagnosisStep.Send, started, session.Describe(e), DiagnosisSession.FixFor(e, DiagnosisStep.Send));
        }
    }
}
