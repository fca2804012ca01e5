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
            var linked = attachment.ContentId is not null && message.Html is not null;
            var part = attachment.Upload is { } upload
                ? Uploaded(linked ? body.LinkedResources : body.Attachments, attachment, upload, linked)
                : linked
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

    /// <summary>
    /// An uploaded file as a part whose content is read from its spool file when the MIME is rendered, never copied
    /// into memory (the collections' own stream overload copies it). Encoded as the collections encode bytes: base64,
    /// except text, whose encoding <see cref="MimeMessage.Prepare"/> picks from the content.
    /// </summary>
    private static MimePart Uploaded(AttachmentCollection collection, ValidatedAttachment attachment, Stream upload, bool linked)
    {
        var part = new MimePart(attachment.ContentType)
        {
            Content = new MimeContent(upload),
            ContentDisposition = new ContentDisposition(linked ? ContentDisposition.Inline : ContentDisposition.Attachment),
            FileName = attachment.FileName,
        };
        if (!attachment.ContentType.IsMimeType("text", "*"))
        {
            part.ContentTransferEncoding = ContentEncoding.Base64;
        }

        collection.Add(part);
        return part;
    }
}
