using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Bridge.Core.Doctor;

/// <summary>
/// MailKit's client plus the envelope commands on their own (MAIL FROM, RCPT TO, RSET), so the
/// doctor can ask whether a sender and recipient would be accepted without sending anything.
/// A refusal throws <see cref="SmtpCommandException"/>, as MailKit's own send does, so the same
/// classifier reads it.
/// </summary>
internal sealed class DoctorSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
{
    public Task<SmtpResponse> MailFromAsync(string address, CancellationToken cancellationToken) =>
        ExpectAcceptedAsync($"MAIL FROM:<{address}>", SmtpErrorCode.SenderNotAccepted, address, cancellationToken);

    public Task<SmtpResponse> RcptToAsync(string address, CancellationToken cancellationToken) =>
        ExpectAcceptedAsync($"RCPT TO:<{address}>", SmtpErrorCode.RecipientNotAccepted, address, cancellationToken);

    /// <summary>Ends the test transaction so nothing is sent.</summary>
    public Task<SmtpResponse> ResetAsync(CancellationToken cancellationToken) => SendCommandAsync("RSET", cancellationToken);

    private async Task<SmtpResponse> ExpectAcceptedAsync(string command, SmtpErrorCode error, string address, CancellationToken cancellationToken)
    {
        var response = await SendCommandAsync(command, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode is >= 200 and < 300
            ? response
            : throw new SmtpCommandException(error, response.StatusCode, MailboxAddress.Parse(address), response.Response);
    }
}
