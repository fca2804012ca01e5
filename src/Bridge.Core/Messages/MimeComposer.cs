using MimeKit;
using MimeKit.Text;
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

        // The builder only collects the attachments: its text bodies would be strings, so the structure it would
        // make of them is made here, over the request's UTF-8 bytes (Body).
        var body = new BodyBuilder();
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

        mime.Body = Body(message.Text, message.Html, body);

        // Fix transfer encodings now so the rendered bytes are 7-bit clean and never change again.
        mime.Prepare(EncodingConstraint.SevenBit);
        return mime;
    }

    /// <summary>
    /// The body BodyBuilder.ToMessageBody would make of the same text, HTML, linked resources and attachments (text and
    /// HTML as multipart/alternative, the HTML with its linked resources as multipart/related, attachments around it all
    /// as multipart/mixed), with each text part's content the request's UTF-8 bytes rather than a string MimeKit encodes
    /// again.
    /// </summary>
    private static MimeEntity Body(Utf8Text? text, Utf8Text? html, BodyBuilder collected)
    {
        MultipartAlternative? alternative = null;
        MimeEntity? body = null;
        if (text is not null)
        {
            var plain = TextPartOf(TextFormat.Plain, text);
            body = html is null ? plain : alternative = [plain];
        }

        if (html is not null)
        {
            var htmlPart = TextPartOf(TextFormat.Html, html);
            MimeEntity root = htmlPart;
            if (collected.LinkedResources.Count > 0)
            {
                var related = new MultipartRelated { Root = htmlPart };
                foreach (var resource in collected.LinkedResources)
                {
                    related.Add(resource);
                }

                root = related;
            }

            if (alternative is not null)
            {
                alternative.Add(root);
            }
            else
            {
                body = root;
            }
        }

        if (collected.Attachments.Count == 0)
        {
            // Validation refuses a message with neither; BodyBuilder's answer for one all the same.
            return body ?? new TextPart(TextFormat.Plain) { Text = string.Empty };
        }

        var mixed = new Multipart("mixed");
        if (body is not null)
        {
            mixed.Add(body);
        }

        foreach (var attachment in collected.Attachments)
        {
            mixed.Add(attachment);
        }

        return mixed;
    }

    /// <summary>A text part in UTF-8 over <paramref name="text"/>'s bytes, labelled as TextPart.Text labels the bytes it encodes.</summary>
    private static TextPart TextPartOf(TextFormat format, Utf8Text text)
    {
        var part = new TextPart(format) { Content = new MimeContent(text.OpenRead()) };
        part.ContentType.CharsetEncoding = System.Text.Encoding.UTF8;
        return part;
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
