using System.Text.Json;
using Bridge.Core.Compat;
using Bridge.Core.Compat.Postmark;
using Bridge.Core.Http;

namespace Bridge.Core.Tests.Compat;

/// <summary>Postmark's message into a Bridge send request, and Bridge's refusals into Postmark's codes.</summary>
public sealed class PostmarkTranslationTests
{
    private static PostmarkMessage Message(string json) => JsonSerializer.Deserialize<PostmarkMessage>(json, JsonSerializerOptions.Web)!;

    [Fact]
    public void Address_strings_headers_tag_metadata_stream_and_attachments_are_mapped()
    {
        var request = PostmarkTranslation.Translate(Message("""
            {"From": "Shop <orders@shop.example>", "To": "\"Ann, A.\" <ann@example.org>, bo@example.org", "Bcc": "audit@shop.example",
             "Subject": "S", "TextBody": "t", "Tag": "orders", "Metadata": {"order": "1042"}, "MessageStream": "broadcast",
             "Headers": [{"Name": "X-Order", "Value": "1042"}], "TrackOpens": false, "TrackLinks": "None",
             "Attachments": [{"Name": "logo.png", "Content": "aGk=", "ContentType": "image/png", "ContentID": "cid:logo.png", "ContentLength": 2}]}
            """), out var error);

        Assert.Null(error);
        Assert.Equal("Shop <orders@shop.example>", request!.From!.ToString());
        Assert.Equal([("ann@example.org", "Ann, A."), ("bo@example.org", null)], request.To!.Select(a => (a.Email, a.Name)));
        Assert.Equal(["audit@shop.example"], request.Bcc!.Select(a => a.Email));
        Assert.Equal(["orders"], request.Tags!);
        Assert.Equal("1042", request.Metadata!["order"]);
        Assert.Equal("1042", request.Headers!["X-Order"]);
        Assert.Equal("broadcast", request.Profile);
        Assert.Equal("logo.png", Assert.Single(request.Attachments!).ContentId);
    }

    [Fact]
    public void The_default_stream_is_the_default_profile() =>
        Assert.Equal("default", PostmarkTranslation.Translate(Message("""{"MessageStream": "outbound"}"""), out _)!.Profile);

    [Theory]
    [InlineData("""{"TrackOpens": true}""", "TrackOpens")]
    [InlineData("""{"TrackLinks": "HtmlAndText"}""", "TrackLinks")]
    [InlineData("""{"To": "not an address,,"}""", "To")]
    [InlineData("""{"Headers": [{"Name": "X-A", "Value": "1"}, {"Name": "x-a", "Value": "2"}]}""", "Headers[1]")]
    [InlineData("""{"Attachments": [{"Name": "a", "Content": "aGk=", "ContentLength": 5}]}""", "Attachments[0].ContentLength")]
    public void What_Bridge_cannot_do_is_refused_with_a_reason(string json, string field)
    {
        Assert.Null(PostmarkTranslation.Translate(Message(json), out var error));
        Assert.StartsWith(field, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("to[0]", "To")]
    [InlineData("attachments[1].contentType", "Attachments[1].ContentType")]
    [InlineData("attachments[1].content", "Attachments[1].Content")]
    [InlineData("text", "TextBody")]
    [InlineData("profile", "MessageStream")]
    public void Bridge_fields_are_named_as_Postmark_names_them(string bridge, string postmark) =>
        Assert.Equal(postmark, PostmarkTranslation.FieldName(bridge));

    [Fact]
    public void Refusals_take_Postmark_codes_where_one_fits()
    {
        static (int, int) Of(Microsoft.AspNetCore.Http.IResult problem)
        {
            var (status, result) = PostmarkAnswers.Describe(CompatRefusal.Of(problem));
            return (status, result.ErrorCode);
        }

        Assert.Equal((401, 10), Of(Problems.Unauthorized()));
        Assert.Equal((422, 300), Of(Problems.Validation(new Dictionary<string, string[]> { ["from"] = ["is required"] })));
        Assert.Equal((422, 400), Of(Problems.Forbidden("sender-not-allowed", "no")));
        Assert.Equal((422, 402), Of(Problems.BadJson("The body is not valid JSON.")));
        Assert.Equal((422, 403), Of(Problems.BadJson("'X' is not a known field.", new Dictionary<string, string[]> { ["X"] = ["is not a known field"] })));
        Assert.Equal((413, 300), Of(Problems.TooLarge(10)));
        Assert.Equal((415, 409), Of(Problems.UnsupportedMediaType()));
        Assert.Equal((429, 429), Of(Problems.RateLimited("slow down", TimeSpan.FromSeconds(2))));
        Assert.Equal("2", CompatRefusal.Of(Problems.RateLimited("slow down", TimeSpan.FromSeconds(2))).RetryAfter);
    }
}
