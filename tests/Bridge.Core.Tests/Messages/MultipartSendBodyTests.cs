using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Core.Tests.Messages;

/// <summary>
/// A multipart send read from a real <see cref="MultipartFormDataContent"/>'s bytes (what HttpClient sends), into a
/// spool directory of the test's own, so each test can see that no spooled file outlives a refusal.
/// </summary>
public sealed class MultipartSendBodyTests : IDisposable
{
    private const string Message = """{"from":"orders@shop.example","to":["ann@example.org"],"subject":"Files","text":"attached"}""";

    private readonly string spool = Directory.CreateTempSubdirectory("bridge-multipart-test-").FullName;

    public void Dispose() => Directory.Delete(spool, recursive: true);

    private static MultipartFormDataContent Form(string? message = Message, string boundary = "b0undary", params (string Name, string? FileName, byte[] Bytes, string? Type)[] files)
    {
        var form = new MultipartFormDataContent(boundary);
        if (message is not null)
        {
            form.Add(new StringContent(message, Encoding.UTF8, "application/json"), "message");
        }

        foreach (var (name, fileName, bytes, type) in files)
        {
            var part = new ByteArrayContent(bytes);
            if (type is not null)
            {
                part.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }

            if (fileName is null)
            {
                form.Add(part, name);
            }
            else
            {
                form.Add(part, name, fileName);
            }
        }

        return form;
    }

    private async Task<(MultipartSendResult Result, int Status, JsonElement Problem)> Read(
        byte[] body, string contentType, Action<MessageLimits>? limits = null, bool declareLength = true)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = declareLength ? body.Length : null;
        context.Request.ContentType = contentType;
        var result = await new MultipartSendBody(TestOptions.Limits(limits)) { SpoolDirectory = spool }.ReadAsync(context.Request, CancellationToken.None);
        if (result.Problem is null)
        {
            return (result, 200, default);
        }

        context.Response.Body = new MemoryStream();
        await result.Problem.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (result, context.Response.StatusCode, JsonDocument.Parse(context.Response.Body).RootElement.Clone());
    }

    private Task<(MultipartSendResult Result, int Status, JsonElement Problem)> Read(MultipartFormDataContent form, Action<MessageLimits>? limits = null, bool declareLength = true) =>
        Read(form.ReadAsByteArrayAsync().GetAwaiter().GetResult(), form.Headers.ContentType!.ToString(), limits, declareLength);

    private static byte[] Bytes(int count, int seed = 1) => Enumerable.Range(0, count).Select(i => (byte)((i * 31) + seed)).ToArray();

    private static async Task<byte[]> ContentOf(UploadedFile file)
    {
        using var copy = new MemoryStream();
        await file.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Message_part_and_binary_file_parts_are_read_with_their_names_types_and_bytes()
    {
        var pdf = Bytes(200_000);
        var png = Bytes(300, seed: 5);
        using var form = Form(files: [("attachment", "invoice.pdf", pdf, "application/pdf"), ("attachment", "logo.png", png, "image/png")]);
        form.Last().Headers.Add("Content-ID", "<logo>");

        var (result, status, _) = await Read(form);
        await using var _ = result;

        Assert.Equal(200, status);
        Assert.Equal("Files", result.Value!.Subject);
        var files = result.Value.Uploads!;
        Assert.Equal(["invoice.pdf", "logo.png"], files.Select(f => f.FileName));
        Assert.Equal(["application/pdf", "image/png"], files.Select(f => f.ContentType));
        Assert.Equal([null, "logo"], files.Select(f => f.ContentId));
        Assert.Equal(pdf, await ContentOf(files[0]));
        Assert.Equal(png, await ContentOf(files[1]));
        Assert.Equal(2, Directory.GetFiles(spool).Length);
    }

    [Fact]
    public async Task Spooled_files_are_deleted_when_the_result_is_disposed()
    {
        using var form = Form(files: [("attachment", "a.bin", Bytes(1000), null)]);
        var (result, _, _) = await Read(form);
        Assert.Single(Directory.GetFiles(spool));

        await result.DisposeAsync();

        Assert.Empty(Directory.GetFiles(spool));
    }

    [Fact]
    public async Task Fingerprint_ignores_the_boundary_but_not_a_byte_of_a_file()
    {
        async Task<string> Sha(string boundary, byte[] file)
        {
            using var form = Form(boundary: boundary, files: [("attachment", "a.bin", file, null)]);
            var (result, status, _) = await Read(form);
            await using var _ = result;
            Assert.Equal(200, status);
            return result.Sha256;
        }

        var file = Bytes(5000);
        var changed = (byte[])file.Clone();
        changed[4321] ^= 1;

        Assert.Equal(await Sha("first", file), await Sha("second-boundary", file));
        Assert.NotEqual(await Sha("first", file), await Sha("first", changed));
    }

    [Fact]
    public async Task File_part_over_its_limit_is_413_and_nothing_stays_spooled()
    {
        using var form = Form(files: [("attachment", "small.bin", Bytes(100), null), ("attachment", "big.bin", Bytes(4097), null)]);

        var (_, status, problem) = await Read(form, l => l.MaxAttachmentBytes = 4096);

        Assert.Equal(413, status);
        Assert.Equal("urn:bridge:problem:too-large", problem.GetProperty("type").GetString());
        Assert.Contains("4096", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(spool));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_over_the_upload_limit_is_413_whether_or_not_its_length_is_declared(bool declareLength)
    {
        using var form = Form(files: [("attachment", "a.bin", Bytes(3000), null), ("attachment", "b.bin", Bytes(3000), null)]);

        var (_, status, _) = await Read(form, l => (l.MaxAttachmentBytes, l.MaxUploadBytes) = (4096, 5000), declareLength);

        Assert.Equal(413, status);
        Assert.Empty(Directory.GetFiles(spool));
    }

    [Fact]
    public async Task Message_part_over_the_json_limit_is_413()
    {
        var (_, status, problem) = await Read(Form(), l => l.MaxRequestBytes = 20);

        Assert.Equal(413, status);
        Assert.Contains("'message' part", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_file_parts_than_attachments_allowed_is_400_before_the_rest_is_read()
    {
        using var form = Form(files: [.. Enumerable.Range(0, 3).Select(i => ("attachment", (string?)$"{i}.bin", Bytes(10), (string?)null))]);

        var (_, status, problem) = await Read(form, l => l.MaxAttachments = 2);

        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("attachments", out _));
        Assert.Empty(Directory.GetFiles(spool));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        // Name, then the raw body sent with boundary "xyz".
        { "no closing boundary", "--xyz\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n{}" },
        { "no boundary at all", "{\"from\": \"a@example.org\"}" },
        { "empty body", "" },
        { "headers never end", "--xyz\r\nContent-Disposition: form-data; name=\"message\"" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_multipart_is_400_problem(string name, string body)
    {
        var (_, status, problem) = await Read(Encoding.UTF8.GetBytes(body), "multipart/form-data; boundary=xyz");

        Assert.True(status == 400, name);
        Assert.Equal("urn:bridge:problem:bad-multipart", problem.GetProperty("type").GetString());
        Assert.Empty(Directory.GetFiles(spool));
    }

    [Fact]
    public async Task Content_type_without_a_boundary_is_400()
    {
        var (_, status, problem) = await Read("--x\r\n\r\n--x--\r\n"u8.ToArray(), "multipart/form-data");

        Assert.Equal(400, status);
        Assert.Contains("boundary", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_message_part_is_400_naming_it_and_the_files_are_deleted()
    {
        using var form = Form(message: null, files: [("attachment", "a.bin", Bytes(10), null)]);

        var (_, status, problem) = await Read(form);

        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("message", out _));
        Assert.Empty(Directory.GetFiles(spool));
    }

    [Fact]
    public async Task Unknown_part_and_a_second_message_part_are_400()
    {
        using var unknown = Form(files: [("file", "a.bin", Bytes(10), null)]);
        using var twice = Form(files: [("message", null, Encoding.UTF8.GetBytes(Message), "application/json")]);

        var (_, unknownStatus, unknownProblem) = await Read(unknown);
        var (_, twiceStatus, twiceProblem) = await Read(twice);

        Assert.Equal(400, unknownStatus);
        Assert.True(unknownProblem.GetProperty("errors").TryGetProperty("file", out _));
        Assert.Equal(400, twiceStatus);
        Assert.Contains("Only one 'message' part", twiceProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_part_that_is_not_a_send_request_is_400_bad_json_naming_the_field()
    {
        using var form = Form(message: """{"subject": "x", "colour": "red"}""", files: [("attachment", "a.bin", Bytes(10), null)]);

        var (_, status, problem) = await Read(form);

        Assert.Equal(400, status);
        Assert.Equal("urn:bridge:problem:bad-json", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("colour", out _));
        Assert.Empty(Directory.GetFiles(spool));
    }
}
