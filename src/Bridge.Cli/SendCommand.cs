using System.CommandLine;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using MimeKit;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge send</c>: one message through <c>POST /api/v1/messages</c>, built from options and files. Bridge does every
/// check (the same as for any client); this prints the id it answers, or its problem, and exits 0 or 1.
/// </summary>
public static class SendCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "The sender, 'Name <address>' or an address.", HelpName = "address", Required = true };
        var to = Addresses("--to", "A recipient (repeat the option, or separate with commas).");
        to.Required = true;
        var cc = Addresses("--cc", "A Cc recipient.");
        var bcc = Addresses("--bcc", "A Bcc recipient.");
        var replyTo = Addresses("--reply-to", "Where replies go.");
        var subject = new Option<string>("--subject") { Description = "The subject.", Required = true };
        var text = new Option<string?>("--text") { Description = "The plain-text body." };
        var textFile = FileOption("--text-file", "Read the plain-text body from this file (UTF-8; '-' for standard input).");
        var html = new Option<string?>("--html") { Description = "The HTML body." };
        var htmlFile = FileOption("--html-file", "Read the HTML body from this file (UTF-8; '-' for standard input).");
        var attach = new Option<string[]>("--attach") { Description = "Attach this file (repeat for more); its type comes from its extension.", HelpName = "file" };
        var header = new Option<string[]>("--header") { Description = "An extra header, 'Name: value' (repeat for more).", HelpName = "name: value" };
        header.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !t.Value.Contains(':', StringComparison.Ordinal)))
            {
                result.AddError($"--header must look like 'X-Order: 42' (got '{token.Value}').");
            }
        });
        var tag = new Option<string[]>("--tag") { Description = "A tag to find the message by (repeat for more)." };
        var metadata = new Option<string[]>("--metadata") { Description = "A key=value pair kept with the message (repeat for more).", HelpName = "key=value" };
        metadata.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.IndexOf('=', StringComparison.Ordinal) < 1))
            {
                result.AddError($"--metadata must look like orderId=42 (got '{token.Value}').");
            }
        });
        var profile = new Option<string?>("--profile") { Description = "The upstream SMTP profile (default: \"default\").", HelpName = "name" };
        var sendAt = new Option<string?>("--send-at") { Description = "Send later: an RFC 3339 time at most 7 days ahead.", HelpName = "time" };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Sent as Idempotency-Key: the same key and body within 24 h queue nothing new.", HelpName = "key" };
        var json = CliOptions.Json("Print Bridge's JSON answer instead of the id.");
        var url = CliOptions.Url();
        var command = new Command("send", "Send one message through Bridge (scope send) and print its id.")
        {
            from, to, cc, bcc, replyTo, subject, text, textFile, html, htmlFile, attach, header, tag, metadata, profile, sendAt, idempotencyKey, json, url,
        };
        command.Validators.Add(result =>
        {
            if (result.Has(text) && result.Has(textFile) || result.Has(html) && result.Has(htmlFile))
            {
                result.AddError("Give each body once: --text or --text-file, --html or --html-file.");
            }

            if (new Option[] { text, textFile, html, htmlFile }.All(o => !result.Has(o)))
            {
                result.AddError("A message needs a body: --text, --text-file, --html or --html-file.");
            }
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            SendRequest request;
            try
            {
                request = new SendRequest
                {
                    From = AddressInput.FromText(parsed.GetRequiredValue(from)),
                    To = AddressList(parsed.GetValue(to)),
                    Cc = AddressList(parsed.GetValue(cc)),
                    Bcc = AddressList(parsed.GetValue(bcc)),
                    ReplyTo = AddressList(parsed.GetValue(replyTo)),
                    Subject = parsed.GetRequiredValue(subject),
                    Text = parsed.GetValue(text) ?? await ReadBodyAsync(context, parsed.GetValue(textFile), cancellationToken),
                    Html = parsed.GetValue(html) ?? await ReadBodyAsync(context, parsed.GetValue(htmlFile), cancellationToken),
                    Attachments = await AttachmentsAsync(context, parsed.GetValue(attach), cancellationToken),
                    Headers = Pairs(parsed.GetValue(header), ':'),
                    Tags = parsed.GetValue(tag) is { Length: > 0 } tags ? tags : null,
                    Metadata = Pairs(parsed.GetValue(metadata), '='),
                    Profile = parsed.GetValue(profile),
                    SendAt = parsed.GetValue(sendAt),
                };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return BridgeCli.UsageError(context, command, [$"Cannot read a file to send: {e.Message}"]);
            }

            return await SendAsync(context, parsed.GetValue(url), request, parsed.GetValue(idempotencyKey), parsed.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static async Task<int> SendAsync(CliContext context, Uri? url, SendRequest request, string? idempotencyKey, bool json, CancellationToken cancellationToken)
    {
        using var api = BridgeApiClient.From(url, context);
        if (api is null)
        {
            return ExitCodes.Failed;
        }

        var (status, body) = await api.PostAsync("api/" + ApiRoutes.Messages, request, cancellationToken, idempotencyKey);
        if (status != 202)
        {
            await context.Error.WriteLineAsync(BridgeApiClient.Describe(status, body));
            return ExitCodes.Failed;
        }

        await context.Out.WriteLineAsync(json ? body.GetRawText() : body.GetProperty("id").GetString());
        if (!json)
        {
            await context.Error.WriteLineAsync($"Accepted ({body.GetProperty("status").GetString()}); follow it with: bridge status {body.GetProperty("id").GetString()}");
        }

        return ExitCodes.Ok;
    }

    private static Option<string[]> Addresses(string name, string description) => new(name) { Description = description, HelpName = "address" };

    private static Option<string?> FileOption(string name, string description) => new(name) { Description = description, HelpName = "file" };

    private static List<AddressInput>? AddressList(string[]? values) =>
        CliOptions.Split(values) is { Length: > 0 } list ? [.. list.Select(AddressInput.FromText)] : null;

    /// <summary>Name/value pairs split at the first separator; a name given twice keeps its last value.</summary>
    private static Dictionary<string, string>? Pairs(string[]? values, char separator)
    {
        if (values is not { Length: > 0 })
        {
            return null;
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parts in values.Select(v => v.Split(separator, 2, StringSplitOptions.TrimEntries)))
        {
            pairs[parts[0]] = parts[1];
        }

        return pairs;
    }

    private static async Task<string?> ReadBodyAsync(CliContext context, string? path, CancellationToken cancellationToken) => path switch
    {
        null => null,
        "-" => await context.In.ReadToEndAsync(cancellationToken),
        _ => await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, path), cancellationToken),
    };

    private static async Task<List<AttachmentInput>?> AttachmentsAsync(CliContext context, string[]? paths, CancellationToken cancellationToken)
    {
        if (paths is not { Length: > 0 })
        {
            return null;
        }

        var attachments = new List<AttachmentInput>();
        foreach (var path in paths)
        {
            attachments.Add(new AttachmentInput
            {
                Filename = Path.GetFileName(path),
                ContentType = MimeTypes.GetMimeType(path),
                Content = await File.ReadAllBytesAsync(Path.Combine(context.WorkingDirectory, path), cancellationToken),
            });
        }

        return attachments;
    }
}
