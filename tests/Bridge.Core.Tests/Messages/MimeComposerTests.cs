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
