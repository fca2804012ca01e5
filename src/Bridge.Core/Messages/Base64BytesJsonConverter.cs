using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.Core.Messages;

/// <summary>Reads base64 into bytes with a plain message when it is not base64.</summary>
public sealed class Base64BytesJsonConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw new JsonException("must be base64 text");

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => writer.WriteBase64StringValue(value);
}
