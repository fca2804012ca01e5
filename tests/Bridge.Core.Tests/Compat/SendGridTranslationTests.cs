using System.Text.Json;
using Bridge.Core.Compat.SendGrid;
using Bridge.Core.Messages;

namespace Bridge.Core.Tests.Compat;

/// <summary>SendGrid's mail into Bridge's send requests: what maps, what overrides what, and what is refused by name.</summary>
public sealed class SendGridTranslationTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static SendGridMail Mail(string json) => JsonSerializer.Deserialize<SendGridMail>(json, Web)!;

    private static (IReadOnlyList<SendRequest> Requests, List<SendGridError> Errors) Translate(string json)
    {
        var errors = new List<SendGridError>();
        return (SendGridTranslation.Translate(Mail(json), errors), errors);
    }

    [Fact]
    public void Each_personalization_is_a_message_with_its_overrides_and_categories_custom_args_and_send_at_mapped()
    {
        var (requests, errors) = Translate("""
            {"personalizations": [
               {"to": [{"email": "ann@example.org", "name": "Ann"}], "custom_args": {"step": "1"}},
               {"to": [{"email": "bo@example.org"}], "subject": "Own subject", "send_at": 1893456000, "headers": {"X-A": "own"}}],
             "from": {"email": "orders@shop.example", "name": "Shop"}, "reply_to": {"email": "help@shop.example"},
             "subject": "Shared", "content": [{"type": "text/plain", "value": "t"}, {"type": "text/html", "value": "<p>h</p>"}],
             "headers": {"X-A": "shared", "X-B": "b"}, "categories": ["orders"], "custom_args": {"order": "1042", "step": "0"},
             "ip_pool_name": "marketing",
             "attachments": [{"content": "aGk=", "filename": "logo.png", "type": "image/png", "disposition": "inline", "content_id": "logo"}],
             "tracking_settings": {"click_tracking": {"enable": false}}}
            """);

        Assert.Empty(errors);
        Assert.Equal(2, requests.Count);
        var (first, second) = (requests[0], requests[1]);
        Assert.Equal("Shop <orders@shop.example>", first.From!.ToString());
        Assert.Equal("Ann <ann@example.org>", Assert.Single(first.To!).ToString());
        Assert.Equal(("Shared", "Own subject"), (first.Subject, second.Subject));
        Assert.Equal(("t", "<p>h</p>"), (first.Text, first.Html));
        Assert.Equal(["help@shop.example"], first.ReplyTo!.Select(a => a.Email));
        Assert.Equal(new Dictionary<string, string> { ["order"] = "1042", ["step"] = "1" }, first.Metadata);
        Assert.Equal(new Dictionary<string, string> { ["X-A"] = "own", ["X-B"] = "b" }, second.Headers);
        Assert.Equal(["orders"], second.Tags!);
        Assert.Equal(("marketing", "marketing"), (first.Profile, second.Profile));
        Assert.Equal((null, "2030-01-01T00:00:00Z"), (first.SendAt, second.SendAt));
        var logo = Assert.Single(first.Attachments!);
        Assert.Equal(("logo.png", "image/png", "logo", "hi"), (logo.Filename, logo.ContentType, logo.ContentId, System.Text.Encoding.ASCII.GetString(logo.Content!)));
    }

    [Theory]
    [InlineData("""{"personalizations": [{"to": [{"email": "a@example.org"}]}], "template_id": "d-1"}""", "template_id")]
    [InlineData("""{"personalizations": [{"to": [{"email": "a@example.org"}], "dynamic_template_data": {"x": 1}}]}""", "personalizations.0.dynamic_template_data")]
    [InlineData("""{"personalizations": [{"to": [{"email": "a@example.org"}]}], "asm": {"group_id": 1}}""", "asm")]
    [InlineData("""{"personalizations": [{"to": [{"email": "a@example.org"}]}], "tracking_settings": {"open_tracking": {"enable": true}}}""", "tracking_settings.open_tracking")]
    [InlineData("""{"personalizations": [{"to": [{"email": "a@example.org"}]}], "mail_settings": {"sandbox_mode": {"enable": true}}}""", "mail_settings.sandbox_mode")]
    [InlineData("""{"personalizations": [{"to": [{"email": "a@example.org"}]}], "content": [{"type": "text/calendar", "value": "x"}]}""", "content.0.type")]
    [InlineData("""{"personalizations": [{"to": [{"email": "a@example.org"}]}], "attachments": [{"content": "aGk=", "filename": "a", "disposition": "inline"}]}""", "attachments.0.content_id")]
    [InlineData("""{"personalizations": []}""", "personalizations")]
    public void What_Bridge_cannot_do_is_refused_naming_the_field(string json, string field)
    {
        var (requests, errors) = Translate(json);

        Assert.Empty(requests);
        Assert.Contains(errors, e => e.Field == field);
    }

    [Theory]
    [InlineData("to[1]", 2, "personalizations.2.to.1.email")]
    [InlineData("to", 0, "personalizations.0.to")]
    [InlineData("from", 0, "from.email")]
    [InlineData("text", 0, "content")]
    [InlineData("attachments[0].contentType", 0, "attachments.0.type")]
    [InlineData("tags[3]", 0, "categories.3")]
    [InlineData("sendAt", 0, "send_at")]
    [InlineData("replyTo[1]", 0, "reply_to_list.1.email")]
    public void Bridge_fields_are_named_as_SendGrid_names_them(string bridge, int index, string sendGrid) =>
        Assert.Equal(sendGrid, SendGridTranslation.FieldName(bridge, index));
}
