using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.Core.Messages;

/// <summary>
/// Reads base64 into bytes with a plain message when it is not base64. The bytes are decoded straight
/// into an array of their exact size: the reader's own decoding rents a scratch buffer as large as the
/// result first, which for a 19 MB attachment is another 32 MiB array.
/// </summary>
public sealed class Base64BytesJsonConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw NotBase64();
        }

        // The common case: one contiguous, unescaped run of canonical base64.
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && reader.ValueSpan is { Length: > 0 } text && text.Length % 4 == 0)
        {
            var padding = text.EndsWith("=="u8) ? 2 : text.EndsWith("="u8) ? 1 : 0;
            var decoded = GC.AllocateUninitializedArray<byte>(text.Length / 4 * 3 - padding);
            if (Base64.DecodeFromUtf8(text, decoded, out _, out var written) == OperationStatus.Done && written == decoded.Length)
            {
                return decoded;
            }
        }

        // Anything else (split across buffers, escapes such as "\/", whitespace, empty, invalid) takes
        // the reader's general path, which also decides what is not base64.
        return reader.TryGetBytesFromBase64(out var bytes) ? bytes : throw NotBase64();
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => writer.WriteBase64StringValue(value);

    private static JsonException NotBase64() => new("must be base64 text");
}
