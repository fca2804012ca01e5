using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Core.Messages;

namespace Bridge.Core.Compat.SendGrid;

/// <summary>
/// Turns a SendGrid mail into Bridge send requests, one per personalization: the personalization's recipients,
/// subject, headers, custom args and send time over the mail's. Categories become tags, custom args metadata,
/// <c>send_at</c> the send time, <c>ip_pool_name</c> the SMTP profile. What Bridge cannot do is an error naming
/// the field, in SendGrid's field notation (<c>personalizations.0.to.1.email</c>).
/// </summary>
public static partial class SendGridTranslation
{
    private const string TextPlain = "text/plain";
    private const string TextHtml = "text/html";

    /// <summary>The requests, or (when <paramref name="errors"/> is not empty) nothing to send.</summary>
    public static IReadOnlyList<SendRequest> Translate(SendGridMail mail, List<SendGridError> errors)
    {
        RefuseUnsupported(mail, errors);
        if (mail.Personalizations is not { Count: > 0 } personalizations)
        {
            errors.Add(new SendGridError("The personalizations field is required and must have at least one personalization.",
                "personalizations", null));
            return [];
        }

        var (text, html) = Bodies(mail.Content, errors);
        var attachments = Attachments(mail.Attachments, errors);
        var replyTo = mail.ReplyToList is { Count: > 0 } list
            ? list.Select(Address).ToList()
            : mail.ReplyTo is null ? null : [Address(mail.ReplyTo)];
        var requests = new List<SendRequest>(personalizations.Count);
        for (var i = 0; i < personalizations.Count; i++)
        {
            if (personalizations[i] is not { } p)
            {
                errors.Add(new SendGridError("A personalization must be an object.", $"personalizations.{i}", null));
                continue;
            }

            if (p.Substitutions is { ValueKind: not JsonValueKind.Null } || p.DynamicTemplateData is { ValueKind: not JsonValueKind.Null })
            {
                errors.Add(new SendGridError("Bridge does not render templates; send the finished subject and content instead.",
                    $"personalizations.{i}.{(p.Substitutions is { ValueKind: not JsonValueKind.Null } ? "substitutions" : "dynamic_template_data")}",
                    null));
            }

            requests.Add(new SendRequest
            {
                From = (p.From ?? mail.From) is { } from ? Address(from) : null,
                To = p.To?.Select(Address).ToList(),
                Cc = p.Cc?.Select(Address).ToList(),
                Bcc = p.Bcc?.Select(Address).ToList(),
                ReplyTo = replyTo,
                Subject = p.Subject ?? mail.Subject,
                Text = text,
                Html = html,
                Headers = Merge(mail.Headers, p.Headers),
                Attachments = attachments,
                Tags = mail.Categories,
                Metadata = Merge(mail.CustomArgs, p.CustomArgs),
                Profile = mail.IpPoolName,
                SendAt = (p.SendAt ?? mail.SendAt) is { } unix ? SendAtText(unix) : null,
            });
        }

        return errors.Count == 0 ? requests : [];
    }

    /// <summary>
    /// A Bridge field of personalization <paramref name="index"/>'s message (<c>to[1]</c>, <c>attachments[0].content</c>)
    /// as SendGrid names it (<c>personalizations.0.to.1.email</c>, <c>attachments.0.content</c>).
    /// </summary>
    public static string FieldName(string bridgeField, int index)
    {
        var dotted = Dotted(bridgeField);
        var head = dotted.Split('.')[0];
        var rest = dotted[head.Length..];
        return head switch
        {
            "from" => "from.email",
            "to" or "cc" or "bcc" => rest.Length == 0 ? $"personalizations.{index}.{head}" : $"personalizations.{index}.{head}{rest}.email",
            "replyTo" => rest.Length == 0 ? "reply_to" : $"reply_to_list{rest}.email",
            "text" or "html" => "content",
            "tags" => "categories" + rest,
            "metadata" => "custom_args" + rest,
            "sendAt" => "send_at",
            "profile" => "ip_pool_name",
            "attachments" => "attachments" + rest.Replace(".contentType", ".type", StringComparison.Ordinal).Replace(".contentId", ".content_id", StringComparison.Ordinal),
            _ => dotted,
        };
    }

    /// <summary>A JSON path in SendGrid's notation: <c>attachments[0].content</c> as <c>attachments.0.content</c>.</summary>
    public static string Dotted(string path) => IndexPattern().Replace(path, ".$1");

    private static void RefuseUnsupported(SendGridMail mail, List<SendGridError> errors)
    {
        foreach (var (field, value, why) in new[]
                 {
                     ("template_id", mail.TemplateId, "Bridge does not render templates; send the finished subject and content instead."),
                     ("sections", mail.Sections, "Bridge does not render templates; send the finished content instead."),
                     ("asm", mail.Asm, "Bridge has no unsubscribe groups; add a List-Unsubscribe header instead."),
                     ("batch_id", mail.BatchId, "Bridge has no SendGrid batches; cancel a scheduled message with DELETE /api/v1/messages/{id}."),
                 })
        {
            if (value is { ValueKind: not JsonValueKind.Null })
            {
                errors.Add(new SendGridError(why, field, null));
            }
        }

        foreach (var (field, value) in new[] { ("mail_settings", mail.MailSettings), ("tracking_settings", mail.TrackingSettings) })
        {
            // A setting that is off asks for nothing; one switched on asks for a feature Bridge does not have.
            if (value is { } settings && EnabledSetting(settings, field) is { } enabled)
            {
                errors.Add(new SendGridError($"Bridge has no {enabled.Replace('_', ' ')}; leave it disabled.", enabled, null));
            }
        }
    }

    /// <summary>The path of the first setting with <c>"enable": true</c> inside <paramref name="value"/>, or null.</summary>
    private static string? EnabledSetting(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (property.NameEquals("enable") && property.Value.ValueKind == JsonValueKind.True)
            {
                return path;
            }

            if (EnabledSetting(property.Value, $"{path}.{property.Name}") is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    private static (string? Text, string? Html) Bodies(IReadOnlyList<SendGridContent?>? content, List<SendGridError> errors)
    {
        string? text = null, html = null;
        for (var i = 0; i < (content?.Count ?? 0); i++)
        {
            var part = content![i];
            var type = part?.Type?.Split(';')[0].Trim();
            if (string.Equals(type, TextPlain, StringComparison.OrdinalIgnoreCase) && text is null)
            {
                text = part!.Value;
            }
            else if (string.Equals(type, TextHtml, StringComparison.OrdinalIgnoreCase) && html is null)
            {
                html = part!.Value;
            }
            else
            {
                errors.Add(new SendGridError("Bridge sends one text/plain and one text/html part at most; send other types as attachments.",
                    $"content.{i}.type", null));
            }
        }

        return (text, html);
    }

    private static List<AttachmentInput>? Attachments(IReadOnlyList<SendGridAttachment?>? attachments, List<SendGridError> errors)
    {
        if (attachments is null)
        {
            return null;
        }

        var inputs = new List<AttachmentInput>(attachments.Count);
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            var inline = string.Equals(attachment?.Disposition, "inline", StringComparison.OrdinalIgnoreCase);
            if (attachment?.Disposition is { } disposition && !inline && !string.Equals(disposition, "attachment", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new SendGridError("The disposition must be inline or attachment.", $"attachments.{i}.disposition", null));
            }
            else if (inline && string.IsNullOrEmpty(attachment!.ContentId))
            {
                errors.Add(new SendGridError("An inline attachment needs a content_id.", $"attachments.{i}.content_id", null));
            }

            inputs.Add(new AttachmentInput
            {
                Filename = attachment?.Filename,
                ContentType = attachment?.Type,
                Content = attachment?.Content,
                ContentId = inline ? attachment!.ContentId : null,
            });
        }

        return inputs;
    }

    private static AddressInput Address(SendGridAddress? address) => new(address?.Email, address?.Name, null);

    private static Dictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? shared, IReadOnlyDictionary<string, string>? own)
    {
        if (shared is null && own is null)
        {
            return null;
        }

        var merged = new Dictionary<string, string>(shared ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in own ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        return merged;
    }

    /// <summary>Unix seconds as RFC 3339; Bridge's send-time rule (at most 7 days ahead) judges it.</summary>
    private static string SendAtText(long unix) =>
        unix is < 0 or > 253402300799
            ? unix.ToString(CultureInfo.InvariantCulture)
            : DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex IndexPattern();
}
