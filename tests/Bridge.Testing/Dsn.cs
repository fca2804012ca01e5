using System.Text;
using MimeKit;

namespace Bridge.Testing;

/// <summary>
/// Delivery status notifications written as an MTA writes them (RFC 3464, laid out as Postfix's): a
/// <c>multipart/report; report-type=delivery-status</c> with a human part, the <c>message/delivery-status</c> part
/// (a per-message group, then one per recipient) and the original's headers as <c>text/rfc822-headers</c>.
/// </summary>
public static class Dsn
{
    public sealed record Failure(string Recipient, string Status, string? Diagnostic, string Action = "failed");

    /// <summary>The DSN's raw bytes (CRLF line ends). <paramref name="originalMessageId"/> null: no original headers part.</summary>
    public static byte[] Build(string? originalMessageId, params Failure[] failures) => Encoding.UTF8.GetBytes(Text(originalMessageId, failures, null));

    /// <summary>A DSN that returns the whole original message (<c>message/rfc822</c>) with a body of <paramref name="originalBodyBytes"/>.</summary>
    public static byte[] BuildReturningMessage(string originalMessageId, int originalBodyBytes, params Failure[] failures) =>
        Encoding.UTF8.GetBytes(Text(originalMessageId, failures, originalBodyBytes));

    public static MimeMessage Parse(byte[] raw) => MimeMessage.Load(new MemoryStream(raw));

    /// <summary>The report part alone and its Content-Type (with the boundary), as a webhook might forward it.</summary>
    public static (string ContentType, byte[] Body) ReportPart(byte[] raw)
    {
        var message = Parse(raw);
        using var body = new MemoryStream();
        message.Body!.WriteTo(FormatOptions.Default, body, contentOnly: true);
        // The header's value as a client would send it: unfolded onto one line.
        var contentType = string.Join(' ', message.Body!.Headers[HeaderId.ContentType]!.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        return (contentType, body.ToArray());
    }

    private static string Text(string? originalMessageId, IReadOnlyList<Failure> failures, int? originalBodyBytes)
    {
        const string boundary = "4F2A1C0B6E.1733560000/mx.example.net";
        var text = new StringBuilder();
        text.Append("Return-Path: <>\r\n");
        text.Append("Received: by mx.example.net (Postfix) id 4F2A1C0B6E; Mon,  7 Dec 2026 06:00:00 +0000 (UTC)\r\n");
        text.Append("Date: Mon,  7 Dec 2026 06:00:00 +0000 (UTC)\r\n");
        text.Append("From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n");
        text.Append("Subject: Undelivered Mail Returned to Sender\r\n");
        text.Append("To: bounces@shop.example\r\n");
        text.Append("Auto-Submitted: auto-replied\r\n");
        text.Append("MIME-Version: 1.0\r\n");
        text.Append($"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{boundary}\"\r\n");
        text.Append("Content-Transfer-Encoding: 8bit\r\n");
        text.Append($"Message-Id: <{Guid.NewGuid():N}@mx.example.net>\r\n\r\n");
        text.Append("This is a MIME-encapsulated message.\r\n\r\n");
        text.Append($"--{boundary}\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        text.Append("This is the mail system at host mx.example.net.\r\n\r\nI'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.\r\n\r\n");
        text.Append($"--{boundary}\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n");
        text.Append("Reporting-MTA: dns; mx.example.net\r\nX-Postfix-Queue-ID: 4F2A1C0B6E\r\nArrival-Date: Mon,  7 Dec 2026 05:59:58 +0000 (UTC)\r\n");
        foreach (var failure in failures)
        {
            text.Append($"\r\nFinal-Recipient: rfc822; {failure.Recipient}\r\nOriginal-Recipient: rfc822;{failure.Recipient}\r\nAction: {failure.Action}\r\nStatus: {failure.Status}\r\n");
            text.Append("Remote-MTA: dns; mail.example.org\r\n");
            if (failure.Diagnostic is { } diagnostic)
            {
                text.Append($"Diagnostic-Code: smtp; {diagnostic}\r\n");
            }
        }

        text.Append("\r\n");
        if (originalMessageId is not null)
        {
            var original = $"From: Shop <orders@shop.example>\r\nTo: {failures[0].Recipient}\r\nSubject: Your order\r\nMessage-ID: <{originalMessageId}>\r\nDate: Mon, 7 Dec 2026 05:59:57 +0000\r\nMIME-Version: 1.0\r\n";
            if (originalBodyBytes is { } size)
            {
                text.Append($"--{boundary}\r\nContent-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\n\r\n");
                text.Append(original).Append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
                var line = new string('x', 76) + "\r\n";
                for (var written = 0; written < size; written += line.Length)
                {
                    text.Append(line);
                }
            }
            else
            {
                text.Append($"--{boundary}\r\nContent-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n");
                text.Append(original);
            }

            text.Append("\r\n");
        }

        text.Append($"--{boundary}--\r\n");
        return text.ToString();
    }
}
