using MimeKit;
using MimeKit.Utils;

namespace Bridge.Core.Doctor;

/// <summary>The message a diagnosis sends when asked to: short, plain, and saying what it is.</summary>
internal static class DoctorTestMessage
{
    public const string Subject = "Bridge SMTP doctor test";

    public static MimeMessage Create(string sender, string recipient, string target, DateTimeOffset now)
    {
        var message = new MimeMessage { Subject = Subject, Date = now };
        message.From.Add(MailboxAddress.Parse(sender));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.MessageId = MimeUtils.GenerateMessageId(sender[(sender.LastIndexOf('@') + 1)..]);
        message.Headers.Add("X-Bridge-Doctor", "test");
        message.Body = new TextPart("plain")
        {
            Text = $"This is a test message from Bridge's SMTP doctor, sent through the {target} at {now:u}.\r\n" +
                   "If you can read it, the profile works end to end. No reply is needed.\r\n",
        };
        return message;
    }
}
