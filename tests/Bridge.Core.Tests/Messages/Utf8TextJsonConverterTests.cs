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
        var reader = new Utf8JsonReader(SegmentedBytes.Of(Encoding.UTF8.GetBytes(json), 3));

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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Large_text_lives_in_a_pooled_array_until_released_and_others_keep_theirs(bool escaped)
    {
        // Large enough for the large-object heap: such text is pooled, and released once its MIME is rendered.
        string Large(char c) => string.Concat(Enumerable.Repeat(escaped ? $"{c}{c}{c} é\n" : $"{c}{c}{c} e ", Utf8TextJsonConverter.PooledTextBytes / 5));
        SendRequest Read(char c) => JsonSerializer.Deserialize<SendRequest>(JsonSerializer.Serialize(new { text = Large(c) }, Web), Web)!;

        var first = Read('a');
        var kept = Read('b');
        first.ReleaseBodies();
        first.ReleaseBodies();
        var third = Read('c');
        var fourth = Read('d');

        Assert.Equal(Large('b'), kept.Text!.ToString());
        Assert.Equal(Large('c'), third.Text!.ToString());
        Assert.Equal(Large('d'), fourth.Text!.ToString());
        Assert.ThrowsAny<ArgumentException>(() => first.Text!.ToString());
    }

    [Fact]
    public void Small_text_and_text_from_a_string_are_unaffected_by_release()
    {
        var small = JsonSerializer.Deserialize<SendRequest>("""{"text":"small\ntext","html":"<p>x</p>"}""", Web)!;
        var given = new SendRequest { Text = new string('s', Utf8TextJsonConverter.PooledTextBytes * 2) };

        small.ReleaseBodies();
        given.ReleaseBodies();

        Assert.Equal("small\ntext", small.Text!.ToString());
        Assert.Equal("<p>x</p>", small.Html!.ToString());
        Assert.Equal(Utf8TextJsonConverter.PooledTextBytes * 2, given.Text!.Span.Length);
    }
}
