using Bridge.Core.Events;
using MailKit.Net.Smtp;
using MimeKit;

namespace Bridge.Core.Delivery;

/// <summary>
/// A MailKit client that records refused recipients instead of giving up on the first one, so the
/// message still goes to those the server took.
/// </summary>
internal sealed class TrackingSmtpClient : SmtpClient
{
    private readonly List<RejectedRecipient> rejected = [];

    public IReadOnlyList<RejectedRecipient> Rejected => rejected;

    public DateTimeOffset LastUsed { get; set; }

    public void ResetRecipients() => rejected.Clear();

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        rejected.Add(new RejectedRecipient(mailbox.Address, new SmtpReply((int)response.StatusCode, response.Response)));

    protected override void OnNoRecipientsAccepted(MimeMessage message) =>
        throw new NoRecipientsAcceptedException(rejected.ToList());
}
