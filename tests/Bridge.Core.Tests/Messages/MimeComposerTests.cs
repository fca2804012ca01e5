using Bridge.Core.Messages;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Bridge.Core.Tests.Messages;

public sealed class MimeComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static ValidatedMessage Compose(SendRequest request, out MimeMessage mime)
    {
        var errors = new ValidationErrors();
        var message = new SendRequestValidator(TestOptions.Limits(), TestOptions.Smtp(), TimeProvider.System).Validate(request, errors)
                      ?? throw new InvalidOperationException(string.Join("; ", errors.ToDictionary().Keys));
        mime = new MimeComposer(new FakeTimeProvider(Now)).Compose("0123abcd", message);
        return message;
    }

    private static MimeMessage RoundTrip(MimeMessage mime)
    {
        using var stream = new MemoryStream();
        mime.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    [Fact]
    public void Headers_bodies_and_stable_message_id_are_set_and_bcc_is_not_in_the_headers()
    {
        var request = new SendRequest
        {
            From = AddressInput.FromText("Shop <orders@shop.example>"),
            To = [AddressInput.FromText("ann@example.org")],
            Cc = [AddressInput.FromText("cc@example.org")],
            Bcc = [AddressInput.FromText("secret@example.org")],
            ReplyTo = [AddressInput.FromText("help@shop.example")],
            Subject = "Grüße aus dem Shop",
            Text = "plain ✓",
            Html = "<p>html ✓</p>",
            Headers = new Dictionary<string, string> { ["X-Order"] = "42" },
        };

        var message = Compose(request, out var mime);
        var parsed = RoundTrip(mime);

        Assert.Equal("0123abcd@shop.example", parsed.MessageId);
        Assert.Equal(Now, parsed.Date);
        Assert.Equal("Grüße aus dem Shop", parsed.Subject);
        Assert.Equal("42", parsed.Headers["X-Order"]);
        Assert.Equal("help@shop.example", parsed.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("plain ✓", parsed.TextBody!.TrimEnd());
        Assert.Equal("<p>html ✓</p>", parsed.HtmlBody!.TrimEnd());
        Assert.False(parsed.Headers.Contains(HeaderId.Bcc));
        Assert.Contains("secret@example.org", message.Recipients.Select(r => r.Address));
    }

    [Fact]
    public void Rendered_message_is_seven_bit_so_it_can_travel_as_a_json_string()
    {
        Compose(new SendRequest
        {
            From = AddressInput.FromText("Zoë <zoe@shop.example>"),
            To = [AddressInput.FromText("ann@example.org")],
            Subject = "Ünïcödé",
            Html = "<p>日本語</p>",
            Attachments = [new AttachmentInput { Filename = "a.bin", Content = [0, 255, 128] }],
        }, out var mime);

        using var stream = new MemoryStream();
        mime.WriteTo(stream);
        Assert.All(stream.ToArray(), b => Assert.True(b < 128));
    }

    [Fact]
    public void Attachments_keep_their_bytes_and_content_ids_become_inline_related_parts()
    {
        var pdf = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        var png = new byte[] { 137, 80, 78, 71, 1, 2, 3 };
        Compose(new SendRequest
        {
            From = AddressInput.FromText("orders@shop.example"),
            To = [AddressInput.FromText("ann@example.org")],
            Subject = "Invoice",
            Html = "<img src=\"cid:logo\">",
            Attachments =
            [
                new AttachmentInput { Filename = "invoice.pdf", ContentType = "application/pdf", Content = pdf },
                new AttachmentInput { Filename = "logo.png", ContentType = "image/png", Content = png, ContentId = "logo" },
            ],
        }, out var mime);

        var parsed = RoundTrip(mime);
        var attachment = Assert.IsType<MimePart>(Assert.Single(parsed.Attachments));
        Assert.Equal("invoice.pdf", attachment.FileName);
        Assert.Equal(pdf, Decode(attachment));
        var related = Assert.Single(Assert.IsType<Multipart>(parsed.Body, exactMatch: false).OfType<MultipartRelated>());
        var logo = Assert.IsType<MimePart>(related.Single(p => p.ContentId == "logo"), exactMatch: false);
        Assert.Equal(png, Decode(logo));
    }

    public static TheoryData<string?, string?, bool> Bodies => new()
    {
        { "plain ASCII\nin lines\n", null, false },
        { null, "<p>日本語 ✓ 😀</p>", false },
        { "Grüße 😀\r\nline two\nline three without a break at the end", "<p>Grüße</p>", false },
        { new string('x', 1200) + "\n" + string.Concat(Enumerable.Repeat("café ", 400)), "<p>" + new string('y', 2000) + "</p>", true },
        { "\uD83D\uDE00 only an emoji", null, true },
    };

    /// <summary>
    /// Text parts made over the request's UTF-8 bytes render exactly what BodyBuilder made of the same text as strings:
    /// the same structure, charset, transfer encodings and lines, so DKIM and every reader see the same message.
    /// </summary>
    [Theory]
    [MemberData(nameof(Bodies))]
    public void Text_parts_from_utf8_bytes_render_as_body_builder_rendered_the_strings(string? text, string? html, bool attachments)
    {
        var request = new SendRequest
        {
            From = AddressInput.FromText("orders@shop.example"),
            To = [AddressInput.FromText("ann@example.org")],
            Subject = "Same",
            Text = text,
            Html = html,
            Attachments = attachments
                ?
                [
                    new AttachmentInput { Filename = "notes.txt", ContentType = "text/plain", Content = "attached ✓"u8.ToArray() },
                    new AttachmentInput { Filename = "logo.png", ContentType = "image/png", Content = [137, 80, 78, 71], ContentId = "logo" },
                ]
                : null,
        };
        var message = Compose(request, out var mime);

        var expected = new MimeComposer(new FakeTimeProvider(Now)).Compose("0123abcd", message);
        var builder = new BodyBuilder { TextBody = text, HtmlBody = html };
        foreach (var attachment in message.Attachments)
        {
            var linked = attachment.ContentId is not null && html is not null;
            var part = (linked ? builder.LinkedResources : builder.Attachments).Add(attachment.FileName, attachment.Content, attachment.ContentType);
            part.ContentId = attachment.ContentId;
        }

        expected.Body = builder.ToMessageBody();
        expected.Prepare(EncodingConstraint.SevenBit);

        Assert.Equal(Normalized(expected), Normalized(mime));
    }

    /// <summary>The rendering with what is random in it (boundaries, the HTML part's Content-Id) numbered in order of appearance.</summary>
    private static string Normalized(MimeMessage mime)
    {
        using var stream = new MemoryStream();
        mime.WriteTo(stream);
        var rendered = System.Text.Encoding.ASCII.GetString(stream.ToArray());
        var random = System.Text.RegularExpressions.Regex.Matches(rendered, "boundary=\"([^\"]+)\"|Content-Id: <([^>]+)>", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .Where(value => value != "logo")
            .Distinct()
            .ToList();
        for (var i = 0; i < random.Count; i++)
        {
            rendered = rendered.Replace(random[i], $"random-{i}", StringComparison.Ordinal);
        }

        return rendered;
    }

    [Fact]
    public async Task Uploaded_files_render_from_their_spool_the_same_on_every_render()
    {
        var zip = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 13)).ToArray();
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, zip);
        await using var upload = new UploadedFile("data.zip", "application/zip", null,
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 4096, FileOptions.DeleteOnClose));
        Compose(new SendRequest
        {
            From = AddressInput.FromText("orders@shop.example"),
            To = [AddressInput.FromText("ann@example.org")],
            Subject = "Upload",
            Text = "see attached",
            Uploads = [upload],
        }, out var mime);

        // Accept renders into a buffer first and again into the blob when the buffer is outgrown: both reads start at the file's beginning.
        using var first = new MemoryStream();
        mime.WriteTo(first);
        using var second = new MemoryStream();
        mime.WriteTo(second);

        Assert.Equal(first.ToArray(), second.ToArray());
        first.Position = 0;
        var attachment = Assert.IsType<MimePart>(Assert.Single(MimeMessage.Load(first).Attachments));
        Assert.Equal("data.zip", attachment.FileName);
        Assert.Equal(ContentEncoding.Base64, attachment.ContentTransferEncoding);
        Assert.Equal(zip, Decode(attachment));
    }

    [Fact]
    public async Task Uploaded_file_without_a_name_or_with_a_bad_type_is_named_in_the_errors()
    {
        await using var upload = new UploadedFile(null, "multipart/mixed", "<bad>", new FileStream(Path.GetTempFileName(), FileMode.Open,
            FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose));
        var errors = new ValidationErrors();

        var message = new SendRequestValidator(TestOptions.Limits(), TestOptions.Smtp(), TimeProvider.System).Validate(new SendRequest
        {
            From = AddressInput.FromText("orders@shop.example"),
            To = [AddressInput.FromText("ann@example.org")],
            Subject = "Upload",
            Text = "see attached",
            Uploads = [upload],
        }, errors);

        Assert.Null(message);
        Assert.Equal(["attachment[0].contentId", "attachment[0].contentType", "attachment[0].filename"], errors.ToDictionary().Keys.Order());
    }

    private static byte[] Decode(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}
