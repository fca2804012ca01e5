using System.Text;
using System.Text.Json;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Core.Tests.Http;

public sealed class JsonBodyTests
{
    private static Task<(SendRequest? Value, int Status, JsonElement Problem)> Read(string body, long? contentLength = -1, long limit = 1024, string contentType = "application/json") =>
        Read(Encoding.UTF8.GetBytes(body), contentLength, limit, contentType);

    private static async Task<(SendRequest? Value, int Status, JsonElement Problem)> Read(byte[] bytes, long? contentLength = -1, long limit = 1024, string contentType = "application/json")
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = contentLength == -1 ? bytes.Length : contentLength;
        context.Request.ContentType = contentType;
        var (value, _, problem) = await new JsonBody(TestOptions.Limits(l => l.MaxRequestBytes = limit)).ReadAsync<SendRequest>(context.Request, CancellationToken.None);
        if (problem is null)
        {
            return (value, 200, default);
        }

        context.Response.Body = new MemoryStream();
        await problem.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (null, context.Response.StatusCode, JsonDocument.Parse(context.Response.Body).RootElement.Clone());
    }

    [Fact]
    public async Task Valid_json_is_read()
    {
        var (value, status, _) = await Read("""{"subject":"hi","to":["a@example.org",{"email":"b@example.org","name":"B"}]}""");

        Assert.Equal(200, status);
        Assert.Equal("hi", value!.Subject);
        Assert.Equal("B", value.To![1].Name);
    }

    [Fact]
    public async Task A_body_without_a_declared_length_is_read_the_same()
    {
        var body = """{"subject":"hi","attachments":[{"filename":"a.bin","content":"AAECAw=="}]}""";

        var (declared, _, _) = await Read(body);
        var (streamed, status, _) = await Read(body, contentLength: null);

        Assert.Equal(200, status);
        Assert.Equal(declared!.Subject, streamed!.Subject);
        Assert.Equal(declared.Attachments![0].Content, streamed.Attachments![0].Content);
    }

    [Fact]
    public async Task Bodies_read_one_after_another_into_pooled_arrays_keep_nothing_of_each_other()
    {
        // The second body is shorter than the first and lands in the array the first was read into (or one like it):
        // only its own bytes may be parsed, and the first value must keep its text after the array is reused.
        var limit = JsonBody.PooledBodyLimitBytes;
        var first = new string('a', 300_000);
        var second = new string('b', 200_000);

        var (a, statusA, _) = await Read(JsonSerializer.Serialize(new { text = first }), limit: limit);
        var (b, statusB, _) = await Read(JsonSerializer.Serialize(new { text = second }), limit: limit);

        Assert.Equal((200, 200), (statusA, statusB));
        Assert.Equal(first, a!.Text);
        Assert.Equal(second, b!.Text);
    }

    [Fact]
    public async Task A_body_above_the_pooled_size_is_read_the_same()
    {
        var text = new string('c', JsonBody.PooledBodyLimitBytes + 1);

        var (value, status, _) = await Read(JsonSerializer.Serialize(new { text }), limit: 2 * JsonBody.PooledBodyLimitBytes);

        Assert.Equal(200, status);
        Assert.Equal(text, value!.Text);
    }

    [Fact]
    public async Task A_body_shorter_than_its_declared_length_is_a_400_problem()
    {
        var body = """{"subject":"hi"}""";

        var (_, status, problem) = await Read(body, contentLength: body.Length + 10);

        Assert.Equal(400, status);
        Assert.Contains("Content-Length", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"subject\": ", true)]
    [InlineData("not json", true)]
    [InlineData("", true)]
    [InlineData("{\"subject\": ", false)]
    [InlineData("not json", false)]
    public async Task Malformed_json_is_a_400_problem(string body, bool declaredLength)
    {
        var (_, status, problem) = await Read(body, declaredLength ? -1 : null);

        Assert.Equal(400, status);
        Assert.Equal("urn:bridge:problem:bad-json", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unknown_fields_are_named()
    {
        var (_, status, problem) = await Read("""{"subject":"hi","htmlBody":"<p>"}""");

        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("htmlBody", out _));
    }

    [Fact]
    public async Task Wrong_types_are_named_without_dotnet_type_names()
    {
        var (_, status, problem) = await Read("""{"subject":42}""");

        Assert.Equal(400, status);
        var message = problem.GetProperty("errors").GetProperty("subject")[0].GetString();
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
    }

    public static TheoryData<byte[], bool> NotUnicode => new()
    {
        { [.. "{\"text\":\"a"u8, 0xFF, .. "b\"}"u8], true },
        { [.. "{\"html\":\"a"u8, 0xED, 0xA0, 0x80, .. "b\"}"u8], true },
        { "{\"text\":\"lone \\ud800 high\"}"u8.ToArray(), true },
        { "{\"html\":\"lone \\udc00 low\"}"u8.ToArray(), false },
    };

    /// <summary>Text or HTML that is not Unicode (invalid UTF-8, a lone surrogate escaped) is named, not read as something else.</summary>
    [Theory]
    [MemberData(nameof(NotUnicode))]
    public async Task Text_that_is_not_valid_unicode_is_a_400_naming_the_field(byte[] body, bool declaredLength)
    {
        var (_, status, problem) = await Read(body, declaredLength ? -1 : null);

        Assert.Equal(400, status);
        var field = problem.GetProperty("errors").EnumerateObject().Single();
        Assert.Contains(field.Name, new[] { "text", "html" });
        Assert.Contains("valid Unicode", field.Value[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_of_the_wrong_json_type_is_named_as_before()
    {
        var (_, status, problem) = await Read("""{"text":42}""");

        Assert.Equal(400, status);
        Assert.Equal("has the wrong JSON type", problem.GetProperty("errors").GetProperty("text")[0].GetString());
    }

    [Fact]
    public async Task Attachment_content_that_is_not_base64_is_named()
    {
        var (_, status, problem) = await Read("""{"attachments":[{"filename":"a.pdf","content":"not base64!"}]}""");

        Assert.Equal(400, status);
        Assert.Equal("must be base64 text", problem.GetProperty("errors").GetProperty("attachments[0].content")[0].GetString());
    }

    [Fact]
    public async Task Attachment_content_is_decoded_from_base64()
    {
        var (value, _, _) = await Read("""{"attachments":[{"filename":"a.bin","content":"AP+A"}]}""");

        Assert.Equal(new byte[] { 0, 255, 128 }, value!.Attachments![0].Content);
    }

    [Fact]
    public async Task Bad_address_shape_is_named()
    {
        var (_, _, problem) = await Read("""{"to":[42]}""");

        Assert.True(problem.GetProperty("errors").TryGetProperty("to[0]", out _));
    }

    [Fact]
    public async Task Declared_oversize_is_refused_before_reading()
    {
        var (_, status, problem) = await Read("{}", contentLength: 5000);

        Assert.Equal(413, status);
        Assert.Equal("urn:bridge:problem:too-large", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Oversize_without_content_length_is_refused_while_reading()
    {
        var (_, status, _) = await Read("{\"text\":\"" + new string('x', 5000) + "\"}", contentLength: null);

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task Raw_oversize_without_content_length_is_a_413_problem_for_hooks_too()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 5000)));
        context.Response.Body = new MemoryStream();

        var raw = await new JsonBody(TestOptions.Limits(l => l.MaxRequestBytes = 1024)).ReadRawAsync(context.Request, CancellationToken.None);
        await raw.Problem!.ExecuteAsync(context);

        Assert.Empty(raw.Bytes);
        Assert.Equal(413, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
    }

    [Fact]
    public async Task Non_json_content_type_is_415()
    {
        var (_, status, _) = await Read("{}", contentType: "text/plain");

        Assert.Equal(415, status);
    }
}
