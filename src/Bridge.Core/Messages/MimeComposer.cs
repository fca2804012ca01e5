using MimeKit;
using MimeKit.Utils;

namespace Bridge.Core.Messages;

/// <summary>Builds the MIME message at accept time, so what the worker sends is fixed when the client gets 202.</summary>
public sealed class MimeComposer(TimeProvider time)
{
    public MimeMessage Compose(string messageId, ValidatedMessage message)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Date = time.GetUtcNow(),
            MessageId = $"{messageId}@{message.From.Domain}",
        };
        mime.From.Add(message.From);
        mime.To.AddRange(message.To);
        mime.Cc.AddRange(message.Cc);
        mime.ReplyTo.AddRange(message.ReplyTo);

        // Bcc stays out of the headers: those recipients only travel in the SMTP envelope.
        foreach (var (name, value) in message.Headers)
        {
            mime.Headers.Add(name, value);
        }

        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        foreach (var attachment in message.Attachments)
        {
            var part = attachment.ContentId is { } contentId && message.Html is not null
                ? body.LinkedResources.Add(attachment.FileName, attachment.Content, attachment.ContentType)
                : body.Attachments.Add(attachment.FileName, attachment.Content, attachment.ContentType);
            if (attachment.ContentId is { } cid)
            {
                part.ContentId = MimeUtils.Unquote(cid);
            }
        }

        mime.Body = body.ToMessageBody();

        // Fix transfer encodings now so the rendered bytes are 7-bit clean and never change again.
        mime.Prepare(EncodingConstraint.SevenBit);
        return mime;
    }
}
