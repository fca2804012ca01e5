using Bridge.Core.Events;

namespace Bridge.Core.Delivery;

/// <summary>A recipient the server refused at RCPT TO while it may have taken others.</summary>
public sealed record RejectedRecipient(string Address, SmtpReply Reply)
{
    public bool IsTemporary => Reply.Code is >= 400 and < 500;
}
