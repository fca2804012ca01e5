using Bridge.Core.Delivery;
using Bridge.Core.Events;
using Bridge.Core.Suppressions;

namespace Bridge.Core.Tests.Suppressions;

public sealed class MailboxErrorTests
{
    [Theory]
    [InlineData(550, "5.1.1 <gone@example.org>: Recipient address rejected: User unknown", true)]
    [InlineData(550, "5.1.10 Recipient address rejected: Null MX", true)]
    [InlineData(552, "5.2.2 Mailbox full", true)]
    [InlineData(550, "5.2.1 The email account that you tried to reach is disabled.", true)]
    [InlineData(554, "5.7.1 Message rejected as spam", false)]
    [InlineData(550, "5.7.606 Access denied, banned sending IP", false)]
    [InlineData(554, "5.6.0 Content refused", false)]
    [InlineData(550, "Requested action not taken: mailbox unavailable", false)]
    [InlineData(450, "4.2.1 Mailbox busy, try later", false)]
    [InlineData(550, "5.1.1.1 not an enhanced code", false)]
    [InlineData(550, "", false)]
    public void Only_a_permanent_mailbox_error_with_its_enhanced_code_suppresses(int code, string reply, bool suppresses) =>
        Assert.Equal(suppresses, MailboxError.Suppresses(new SmtpReply(code, reply)));

    [Theory]
    [InlineData("5.1.1", true)]
    [InlineData("5.2.2", true)]
    [InlineData("5.7.1", false)]
    [InlineData("4.2.2", false)]
    [InlineData("5.1", false)]
    [InlineData("5.1.1 extra", false)]
    [InlineData(null, false)]
    public void A_dsn_status_suppresses_when_it_is_a_permanent_mailbox_status(string? status, bool suppresses) =>
        Assert.Equal(suppresses, MailboxError.IsMailboxStatus(status));

    [Fact]
    public void Rcpt_refusals_suppress_only_the_mailbox_errors_among_them()
    {
        var result = new DeliveryResult.Sent(new SmtpReply(250, "ok"),
        [
            new RejectedRecipient("gone@example.org", new SmtpReply(550, "5.1.1 User unknown")),
            new RejectedRecipient("spam@example.org", new SmtpReply(554, "5.7.1 Policy")),
            new RejectedRecipient("busy@example.org", new SmtpReply(450, "4.2.1 Busy")),
        ]);

        Assert.Equal(["gone@example.org"], RefusalSuppressions.Of(result).Select(r => r.Address));
    }

    [Fact]
    public void Every_recipient_refused_at_rcpt_each_judged_by_its_own_reply()
    {
        var failure = new DeliveryFailure(FailureKind.Permanent, new SmtpReply(550, "5.1.1 x"), "refused")
        {
            Refused = [new("a@example.org", new SmtpReply(550, "5.1.1 x")), new("b@example.org", new SmtpReply(550, "5.7.1 policy"))],
        };

        Assert.Equal(["a@example.org"], RefusalSuppressions.Of(new DeliveryResult.Failed(failure)).Select(r => r.Address));
    }

    [Fact]
    public void A_data_refusal_suppresses_its_one_recipient_but_not_several_it_cannot_tell_apart()
    {
        var reply = new SmtpReply(550, "5.1.1 mailbox unavailable");
        DeliveryFailure AtData(params string[] recipients) => new(FailureKind.Permanent, reply, "refused")
        {
            RefusedAtData = true, Refused = recipients.Select(r => new RejectedRecipient(r, reply)).ToList(),
        };

        Assert.Equal(["one@example.org"], RefusalSuppressions.Of(new DeliveryResult.Failed(AtData("one@example.org"))).Select(r => r.Address));
        Assert.Empty(RefusalSuppressions.Of(new DeliveryResult.Failed(AtData("a@example.org", "b@example.org"))));
    }

    [Fact]
    public void A_transient_failure_suppresses_nobody() =>
        Assert.Empty(RefusalSuppressions.Of(new DeliveryResult.Failed(new DeliveryFailure(FailureKind.Transient, new SmtpReply(451, "4.3.0 later"), "later"))));
}
