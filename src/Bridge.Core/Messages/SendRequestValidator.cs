using Bridge.Core.Delivery;
using Bridge.Core.Events;
using MimeKit;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Messages;

/// <summary>
/// Checks a send request field by field and turns it into a <see cref="ValidatedMessage"/>, so a bad
/// request fails at the door with every problem named, never later in the worker.
/// </summary>
public sealed class SendRequestValidator(IOptions<MessageLimits> limits, IOptions<SmtpOptions> smtp, TimeProvider time)
{
    /// <summary>Headers Bridge writes itself; a request may not set or override them.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "To", "Cc", "Bcc", "Reply-To", "Subject", "Message-ID", "Date", "MIME-Version",
        "Return-Path", "Received", "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc",
        "Resent-Date", "Resent-Message-ID",
    };

    private static readonly ParserOptions StrictParser = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
    };

    public ValidatedMessage? Validate(SendRequest request, ValidationErrors errors)
    {
        var max = limits.Value;
        var from = request.From is null ? Missing(errors, "from", "is required") : ParseMailbox(request.From, "from", errors);
        var to = ParseList(request.To, "to", errors);
        var cc = ParseList(request.Cc, "cc", errors);
        var bcc = ParseList(request.Bcc, "bcc", errors);
        var replyTo = ParseList(request.ReplyTo, "replyTo", errors);

        var recipientCount = to.Count + cc.Count + bcc.Count;
        if (recipientCount == 0 && (request.To?.Count ?? 0) + (request.Cc?.Count ?? 0) + (request.Bcc?.Count ?? 0) == 0)
        {
            errors.Add("to", "at least one recipient is required in to, cc or bcc");
        }
        else if (recipientCount > max.MaxRecipients)
        {
            errors.Add("to", $"at most {max.MaxRecipients} recipients are allowed across to, cc and bcc (got {recipientCount})");
        }

        if (string.IsNullOrWhiteSpace(request.Subject))
        {
            errors.Add("subject", "is required");
        }
        else if (HasLineBreak(request.Subject))
        {
            errors.Add("subject", "must not contain line breaks");
        }
        else if (request.Subject.Length > max.MaxSubjectLength)
        {
            errors.Add("subject", $"must be at most {max.MaxSubjectLength} characters");
        }

        if (NullIfEmpty(request.Text) is null && NullIfEmpty(request.Html) is null)
        {
            errors.Add("text", "text or html is required (or both)");
        }

        var headers = ValidateHeaders(request.Headers, errors, max);
        var attachments = ValidateAttachments(request.Attachments, request.Uploads, errors, max);
        ValidateTags(request.Tags, errors, max);
        ValidateMetadata(request.Metadata, errors, max);

        var profile = string.IsNullOrWhiteSpace(request.Profile) ? SmtpOptions.DefaultProfile : request.Profile.Trim();
        if (!smtp.Value.Profiles.ContainsKey(profile))
        {
            errors.Add("profile", $"'{profile}' is not a configured SMTP profile");
        }

        var sendAt = SendAtRule.Evaluate(request.SendAt, time.GetUtcNow(), out var sendAtError);
        if (sendAtError is not null)
        {
            errors.Add("sendAt", sendAtError);
        }

        if (!errors.IsEmpty || from is null)
        {
            return null;
        }

        return new ValidatedMessage(from, to, cc, bcc, replyTo, request.Subject!, NullIfEmpty(request.Text), NullIfEmpty(request.Html),
            headers, attachments, request.Tags ?? [], request.Metadata ?? new Dictionary<string, string>(), profile, sendAt);
    }

    private static MailboxAddress? Missing(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    private static List<MailboxAddress> ParseList(IReadOnlyList<AddressInput>? inputs, string field, ValidationErrors errors)
    {
        var parsed = new List<MailboxAddress>();
        for (var i = 0; i < (inputs?.Count ?? 0); i++)
        {
            if (ParseMailbox(inputs![i], $"{field}[{i}]", errors) is { } mailbox)
            {
                parsed.Add(mailbox);
            }
        }

        return parsed;
    }

    private static MailboxAddress? ParseMailbox(AddressInput? input, string field, ValidationErrors errors)
    {
        if (input is null)
        {
            return Missing(errors, field, "must be an address");
        }

        var text = input.Text ?? input.Email;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Missing(errors, field, "must be an email address");
        }

        if (HasLineBreak(text) || HasLineBreak(input.Name))
        {
            return Missing(errors, field, "must not contain line breaks");
        }

        if (!MailboxAddress.TryParse(StrictParser, text.Trim(), out var mailbox) || !IsCompleteAddress(mailbox.Address))
        {
            return Missing(errors, field, $"'{text}' is not a valid email address");
        }

        if (input.Text is null && input.Name is not null)
        {
            if (!string.IsNullOrEmpty(mailbox.Name))
            {
                return Missing(errors, field, "email must be a bare address when name is given separately");
            }

            mailbox.Name = input.Name;
        }

        return mailbox;
    }

    private static bool IsCompleteAddress(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1;
    }

    private static List<KeyValuePair<string, string>> ValidateHeaders(
        IReadOnlyDictionary<string, string>? headers, ValidationErrors errors, MessageLimits max)
    {
        var valid = new List<KeyValuePair<string, string>>();
        if (headers is null)
        {
            return valid;
        }

        if (headers.Count > max.MaxHeaders)
        {
            errors.Add("headers", $"at most {max.MaxHeaders} custom headers are allowed");
            return valid;
        }

        foreach (var (name, value) in headers)
        {
            var field = $"headers.{name}";
            if (name.Length == 0 || name.Length > 76 || !name.All(c => c is > ' ' and < '\x7f' and not ':'))
            {
                errors.Add(field, "is not a valid header name (printable ASCII without spaces or colons)");
            }
            else if (ReservedHeaders.Contains(name) || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(field, "is set by Bridge and cannot be overridden; use the matching field of the request instead");
            }
            else if (value is null)
            {
                errors.Add(field, "must have a value");
            }
            else if (HasLineBreak(value) || value.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(field, "must not contain line breaks");
            }
            else if (value.Length > max.MaxHeaderValueLength)
            {
                errors.Add(field, $"must be at most {max.MaxHeaderValueLength} characters");
            }
            else
            {
                valid.Add(new(name, value));
            }
        }

        return valid;
    }

    private static List<ValidatedAttachment> ValidateAttachments(
        IReadOnlyList<AttachmentInput>? attachments, IReadOnlyList<UploadedFile>? uploads, ValidationErrors errors, MessageLimits max)
    {
        var valid = new List<ValidatedAttachment>();
        if ((attachments?.Count ?? 0) + (uploads?.Count ?? 0) > max.MaxAttachments)
        {
            errors.Add("attachments", $"at most {max.MaxAttachments} attachments are allowed");
            return valid;
        }

        for (var i = 0; i < (attachments?.Count ?? 0); i++)
        {
            var field = $"attachments[{i}]";
            var attachment = attachments![i];
            if (attachment is null)
            {
                errors.Add(field, "must be an object");
                continue;
            }

            var contentType = CheckAttachment(field, attachment.Filename, attachment.ContentType, attachment.ContentId, errors);
            if (attachment.Content is null)
            {
                errors.Add($"{field}.content", "is required (base64)");
            }

            if (attachment.Content is { } content && attachment.Filename is not null)
            {
                valid.Add(new ValidatedAttachment(attachment.Filename, contentType, content, attachment.ContentId));
            }
        }

        // File parts of a multipart send: the same rules, read from each part's headers.
        for (var i = 0; i < (uploads?.Count ?? 0); i++)
        {
            var upload = uploads![i];
            var contentType = CheckAttachment($"attachment[{i}]", upload.FileName, upload.ContentType, upload.ContentId, errors);
            if (upload.FileName is not null)
            {
                valid.Add(new ValidatedAttachment(upload.FileName, contentType, [], upload.ContentId) { Upload = upload.Content });
            }
        }

        return valid;
    }

    /// <summary>Checks an attachment's name, type and Content-ID, adding errors under <paramref name="field"/>; returns its content type.</summary>
    private static ContentType CheckAttachment(string field, string? fileName, string? contentTypeText, string? contentId, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(fileName) || HasLineBreak(fileName) || fileName.IndexOfAny(['/', '\\']) >= 0)
        {
            errors.Add($"{field}.filename", "is required, without line breaks or path separators");
        }

        var contentType = ContentType.Parse("application/octet-stream");
        if (contentTypeText is { } typeText
            && (HasLineBreak(typeText) || !ContentType.TryParse(typeText, out contentType!) || contentType.MediaType is "multipart" or "message"))
        {
            errors.Add($"{field}.contentType", $"'{typeText}' is not a valid content type for an attachment");
        }

        if (contentId is { } cid && (cid.Length == 0 || cid.Length > 200 || !cid.All(c => c is > ' ' and < '\x7f' and not '<' and not '>')))
        {
            errors.Add($"{field}.contentId", "must be printable ASCII without spaces or angle brackets");
        }

        return contentType;
    }

    private static void ValidateTags(IReadOnlyList<string>? tags, ValidationErrors errors, MessageLimits max)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > max.MaxTags)
        {
            errors.Add("tags", $"at most {max.MaxTags} tags are allowed");
        }

        if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > max.MaxTagLength || HasLineBreak(t)))
        {
            errors.Add("tags", $"each tag must be 1 to {max.MaxTagLength} characters on one line");
        }
    }

    private static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata, ValidationErrors errors, MessageLimits max)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > max.MaxMetadataEntries)
        {
            errors.Add("metadata", $"at most {max.MaxMetadataEntries} entries are allowed");
        }

        // The JSON reader lets a null value into a string dictionary; it would come back as null, never as what was meant.
        if (metadata.Values.Any(v => v is null))
        {
            errors.Add("metadata", "values must be strings, not null");
        }
        else if (metadata.Any(m => m.Key.Length is 0 or > 128 || m.Value.Length > max.MaxMetadataValueLength))
        {
            errors.Add("metadata", $"keys must be 1 to 128 characters and values at most {max.MaxMetadataValueLength}");
        }
        else
        {
            var length = MessageMetadata.Serialize(metadata).Length;
            if (length > max.MaxMetadataLength)
            {
                errors.Add("metadata", $"must be at most {max.MaxMetadataLength} characters in all, as JSON (got {length})");
            }
        }
    }

    private static bool HasLineBreak(string? value) => value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    private static Utf8Text? NullIfEmpty(Utf8Text? value) => value is { IsEmpty: false } ? value : null;
}
