using System.Buffers;
using System.Text;
using System.Text.Json;
using Bridge.Core.Messages;

namespace Bridge.Core.Tests.Messages;

public sealed class Utf8TextJsonConverterTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Escapes of every kind, literal UTF-8, and a surrogate pair written as two escapes.</summary>
    private const string Escaped = """{"text":"Gr\u00fc\u00DFe \ud83d\ude00 日本語 😀\r\nline\ttab \"quoted\" back\\slash \/ end\n"}""";
    private const string Unescaped = "Grüße 😀 日本語 😀\r\nline\ttab \"quoted\" back\\slash / end\n";

    [Theory]
    [InlineData(Escaped, Unescaped)]
    [InlineData("""{"text":"plain ASCII, nothing escaped"}""", "plain ASCII, nothing escaped")]
    [InlineData("""{"text":"été 日本"}""", "été 日本")]
    [InlineData("""{"text":""}""", "")]
    public void Json_strings_become_their_exact_utf8_bytes(string json, string expected)
    {
        var request = JsonSerializer.Deserialize<SendRequest>(json, Web)!;

        Assert.Equal(Encoding.UTF8.GetBytes(expected), request.Text!.Span.ToArray());
        Assert.Equal(expected, request.Text.ToString());
    }

    [Theory]
    [InlineData(Escaped, Unescaped)]
    [InlineData("""{"text":"été 日本 and a longer unescaped run"}""", "été 日本 and a longer unescaped run")]
    public void A_string_split_across_buffer_segments_reads_the_same(string json, string expected)
    {
        // Three bytes a segment: the value arrives as a sequence, splitting escapes and multi-byte characters.
        var reader = new Utf8JsonReader(Segmented(Encoding.UTF8.GetBytes(json), 3));

        var request = JsonSerializer.Deserialize<SendRequest>(ref reader, Web)!;

        Assert.Equal(expected, request.Text!.ToString());
    }

    [Fact]
    public void Writing_gives_the_json_a_string_property_would()
    {
        const string text = "Grüße 😀\r\n\"<b>\"";

        var written = JsonSerializer.Serialize(new SendRequest { Text = text, Html = "<p>é</p>" }, Web);

        using var document = JsonDocument.Parse(written);
        Assert.Equal(JsonSerializer.Serialize(text, Web), document.RootElement.GetProperty("text").GetRawText());
        Assert.Equal("<p>é</p>", document.RootElement.GetProperty("html").GetString());
        Assert.Equal(text, JsonSerializer.Deserialize<SendRequest>(written, Web)!.Text!.ToString());
    }

    [Fact]
    public void Text_from_a_string_with_a_lone_surrogate_is_encoded_as_mime_kit_encoded_it()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("a\uD800b"), Utf8Text.FromString("a\uD800b").Span.ToArray());
        Assert.Equal(Utf8Text.FromString("same"), (Utf8Text)"same");
        Assert.NotEqual(Utf8Text.FromString("same"), (Utf8Text)"other");
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        var chunks = bytes.Chunk(size).ToList();
        var first = new Segment(chunks[0], 0);
        var last = first;
        foreach (var chunk in chunks.Skip(1))
        {
            last = last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
