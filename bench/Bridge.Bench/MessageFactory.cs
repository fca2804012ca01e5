using System.Text;
using System.Text.Json;
using MimeKit;

namespace Bridge.Bench;

/// <summary>
/// The messages of the workload: a plain-text mail of a given size (as an API request, and as the
/// MIME message sent directly for the ceilings), and a mail with one attachment for the memory runs.
/// </summary>
public static class MessageFactory
{
    public const string From = "bench@bench.example";
    public const string To = "sink@example.org";

    /// <summary>The default request limit (<c>Bridge:Limits:MaxRequestBytes</c>, 25 MiB of JSON).</summary>
    public const int DefaultMaxRequestBytes = 25 * 1024 * 1024;

    /// <summary>
    /// The largest attachment whose request fits the default limit: its base64 (4 bytes per 3) plus
    /// 16 KiB for the rest of the JSON stays under 25 MiB. 19,648,512 bytes, about 18.7 MiB.
    /// </summary>
    public const int LargestAttachment = (DefaultMaxRequestBytes - (16 * 1024)) / 4 * 3;

    /// <summary>Printable ASCII in lines of 76 characters: about <paramref name="bytes"/> bytes of body.</summary>
    public static string Text(int bytes)
    {
        var text = new StringBuilder(bytes + 80);
        var line = 0;
        while (text.Length < bytes)
        {
            text.Append("Line ").Append(line++.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
                .Append(": the quick brown fox jumps over the lazy dog, 0123456789 ABCDEFGHIJ\n");
        }

        return text.ToString(0, bytes);
    }

    /// <summary>The JSON body of <c>POST /api/v1/messages</c> for a text mail of about <paramref name="bytes"/> bytes.</summary>
    public static byte[] TextRequest(string profile, int bytes) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        from = From,
        to = new[] { To },
        subject = $"Bridge bench, {BenchOptions.FormatSize(bytes)}",
        text = Text(bytes),
        profile,
    });

    /// <summary>A short text mail with one attachment of <paramref name="attachmentBytes"/> random bytes.</summary>
    public static byte[] AttachmentRequest(string profile, int attachmentBytes)
    {
        var content = new byte[attachmentBytes];
        new Random(attachmentBytes).NextBytes(content);
        using var buffer = new MemoryStream((attachmentBytes / 3 * 4) + 4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("from", From);
            json.WriteStartArray("to");
            json.WriteStringValue(To);
            json.WriteEndArray();
            json.WriteString("subject", $"Bridge bench, one attachment of {BenchOptions.FormatSize(attachmentBytes)}");
            json.WriteString("text", "The attachment is random bytes.");
            json.WriteStartArray("attachments");
            json.WriteStartObject();
            json.WriteString("filename", "random.bin");
            json.WriteString("contentType", "application/octet-stream");
            json.WriteBase64String("content", content);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("profile", profile);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The same mail as a <c>multipart/form-data</c> body: the JSON without base64 as part <c>message</c>, the
    /// attachment's bytes as file part <c>attachment</c>. Returns the body and its Content-Type (with the boundary).
    /// </summary>
    public static (byte[] Body, string ContentType) UploadRequest(string profile, int attachmentBytes)
    {
        var content = new byte[attachmentBytes];
        new Random(attachmentBytes).NextBytes(content);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new
        {
            from = From,
            to = new[] { To },
            subject = $"Bridge bench, one uploaded attachment of {BenchOptions.FormatSize(attachmentBytes)}",
            text = "The attachment is random bytes.",
            profile,
        }), Encoding.UTF8, "application/json"), "message");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new("application/octet-stream");
        form.Add(file, "attachment", "random.bin");
        return (form.ReadAsByteArrayAsync().GetAwaiter().GetResult(), form.Headers.ContentType!.ToString());
    }

    /// <summary>The same text mail as a MIME message, for sending directly with MailKit.</summary>
    public static MimeMessage Mime(int bytes)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(From));
        message.To.Add(MailboxAddress.Parse(To));
        message.Subject = $"Bridge bench, {BenchOptions.FormatSize(bytes)}";
        message.Body = new TextPart("plain") { Text = Text(bytes) };
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }
}
