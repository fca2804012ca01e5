using System.Text;
using System.Text.Json;
using Bridge.Core.Messages;

namespace Bridge.Core.Tests.Messages;

/// <summary>The exact-size decoding path must agree with System.Text.Json's own base64 reading on every input.</summary>
public sealed class Base64BytesJsonConverterTests
{
    private static readonly JsonSerializerOptions Ours = new() { Converters = { new Base64BytesJsonConverter() } };

    private static byte[]? ReadOurs(string json) => JsonSerializer.Deserialize<byte[]>(json, Ours);

    private static byte[]? ReadBuiltIn(string json) => JsonSerializer.Deserialize<byte[]>(json);

    public static TheoryData<int> Lengths() => [0, 1, 2, 3, 4, 5, 6, 7, 100, 101, 102, 65_537];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Decodes_every_padding_to_the_exact_bytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);

        // Written as clients write it: base64 needs no JSON escaping ('+' and '/' included).
        var decoded = ReadOurs($"\"{Convert.ToBase64String(bytes)}\"");

        Assert.Equal(bytes, decoded);
    }

    [Theory]
    [InlineData("\"AA\\/A\"")]
    [InlineData("\"QUJD\\u0044\"")]
    [InlineData("\"QUJD RA==\"")]
    [InlineData("\"QUJDRA\"")]
    [InlineData("\"QUJDRA=\"")]
    [InlineData("\"QU=DRA==\"")]
    [InlineData("\"QUJDRA===\"")]
    [InlineData("\"not base64!\"")]
    [InlineData("\"\"")]
    public void Agrees_with_the_built_in_reader_on_escaped_irregular_and_invalid_text(string json)
    {
        var expected = Record(() => ReadBuiltIn(json));
        var actual = Record(() => ReadOurs(json));

        Assert.Equal(expected.Bytes, actual.Bytes);
        Assert.Equal(expected.Failed, actual.Failed);
    }

    [Fact]
    public void Not_base64_says_so_plainly()
    {
        var error = Assert.Throws<JsonException>(() => ReadOurs("\"%%%%\""));

        Assert.Contains("must be base64 text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_split_across_segments_is_decoded_too()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('x', 40_000));
        var json = Encoding.UTF8.GetBytes($"\"{Convert.ToBase64String(bytes)}\"");

        // A reader over a sequence of 1,000-byte segments hands the converter a multi-segment value.
        var reader = new Utf8JsonReader(SegmentedBytes.Of(json, 1_000));
        var decoded = JsonSerializer.Deserialize<byte[]>(ref reader, Ours);

        Assert.Equal(bytes, decoded);
    }

    private static (byte[]? Bytes, bool Failed) Record(Func<byte[]?> read)
    {
        try
        {
            return (read(), false);
        }
        catch (JsonException)
        {
            return (null, true);
        }
    }
}
