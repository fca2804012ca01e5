using System.Text.RegularExpressions;
using Bridge.Core.Delivery;
using Bridge.Core.Messages;
using MimeKit;

namespace Bridge.Core.Compat.Postmark;

/// <summary>
/// Turns a Postmark message into a Bridge send request: the comma-separated address fields into address lists,
/// the header list into headers, <c>Tag</c> into the one tag, <c>Metadata</c> into metadata and
/// <c>MessageStream</c> into the SMTP profile. What Bridge cannot do is refused with a reason.
/// </summary>
public static partial class PostmarkTranslation
{
    /// <summary>Postmark's default transactional stream: Bridge's default profile.</summary>
    public const string DefaultStream = "outbound";

    /// <summary>The request, or null with <paramref name="error"/> saying why it cannot be one.</summary>
    public static SendRequest? Translate(PostmarkMessage message, out string? error)
    {
        var problems = new List<string>();
        if (message.TrackOpens == true)
        {
            problems.Add("TrackOpens: Bridge does not track opens; leave it false");
        }

        if (message.TrackLinks is { } links && !string.Equals(links, "None", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("TrackLinks: Bridge does not track links; leave it None");
        }

        var request = new SendRequest
        {
            From = message.From is null ? null : AddressInput.FromText(message.From),
            To = Addresses(message.To, "To", problems),
            Cc = Addresses(message.Cc, "Cc", problems),
            Bcc = Addresses(message.Bcc, "Bcc", problems),
            ReplyTo = Addresses(message.ReplyTo, "ReplyTo", problems),
            Subject = message.Subject,
            Text = message.TextBody,
            Html = message.HtmlBody,
            Headers = Headers(message.Headers, problems),
            Attachments = Attachments(message.Attachments, problems),
            Tags = string.IsNullOrEmpty(message.Tag) ? null : [message.Tag],
            Metadata = message.Metadata,
            Profile = string.IsNullOrEmpty(message.MessageStream) || string.Equals(message.MessageStream, DefaultStream, StringComparison.OrdinalIgnoreCase)
                ? SmtpOptions.DefaultProfile
                : message.MessageStream,
        };
        error = problems.Count == 0 ? null : string.Join("; ", problems) + ".";
        return problems.Count == 0 ? request : null;
    }

    /// <summary>A Bridge field (<c>to[1]</c>, <c>attachments[0].content</c>) as Postmark names it (<c>To</c>, <c>Attachments[0].Content</c>).</summary>
    public static string FieldName(string bridgeField)
    {
        var head = FieldHead().Match(bridgeField).Value;
        var rest = bridgeField[head.Length..];
        return head switch
        {
            "from" => "From",
            "to" => "To",
            "cc" => "Cc",
            "bcc" => "Bcc",
            "replyTo" => "ReplyTo",
            "subject" => "Subject",
            "text" or "html" => "TextBody",
            "headers" => "Headers",
            "tags" => "Tag",
            "metadata" => "Metadata",
            "profile" => "MessageStream",
            "attachments" => "Attachments" + rest
                .Replace(".filename", ".Name", StringComparison.Ordinal)
                .Replace(".contentType", ".ContentType", StringComparison.Ordinal)
                .Replace(".contentId", ".ContentID", StringComparison.Ordinal)
                .Replace(".content", ".Content", StringComparison.Ordinal),
            _ => bridgeField,
        };
    }

    private static List<AddressInput>? Addresses(string? text, string field, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!InternetAddressList.TryParse(text, out var list) || list.OfType<GroupAddress>().Any())
        {
            problems.Add($"{field}: '{text}' is not a comma-separated list of addresses");
            return null;
        }

        return list.Mailboxes.Select(m => new AddressInput(m.Address, string.IsNullOrEmpty(m.Name) ? null : m.Name, null)).ToList();
    }

    private static Dictionary<string, string>? Headers(IReadOnlyList<PostmarkHeader?>? headers, List<string> problems)
    {
        if (headers is null)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i] is not { Name: { Length: > 0 } name } header)
            {
                problems.Add($"Headers[{i}]: needs a Name");
            }
            else if (!map.TryAdd(name, header.Value ?? ""))
            {
                // Bridge's headers are a map: a second value would be lost, so it is refused instead.
                problems.Add($"Headers[{i}]: '{name}' is given more than once");
            }
        }

        return map;
    }

    private static List<AttachmentInput>? Attachments(IReadOnlyList<PostmarkAttachment?>? attachments, List<string> problems)
    {
        if (attachments is null)
        {
            return null;
        }

        var inputs = new List<AttachmentInput>(attachments.Count);
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            if (attachment is { ContentLength: { } length, Content: { } content } && length != content.LongLength)
            {
                problems.Add($"Attachments[{i}].ContentLength: is {length}, but the content is {content.LongLength} bytes");
            }

            var contentId = attachment?.ContentId;
            inputs.Add(new AttachmentInput
            {
                Filename = attachment?.Name,
                ContentType = attachment?.ContentType,
                Content = attachment?.Content,
                ContentId = string.IsNullOrEmpty(contentId) ? null
                    : contentId.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) ? contentId[4..] : contentId,
            });
        }

        return inputs;
    }

    [GeneratedRegex(@"^[A-Za-z]+")]
    private static partial Regex FieldHead();
}
