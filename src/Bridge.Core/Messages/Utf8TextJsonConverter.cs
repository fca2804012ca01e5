using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.Core.Messages;

/// <summary>
/// Reads a JSON string into <see cref="Utf8Text"/> by unescaping it straight from the request's bytes into an array
/// of its exact size, never through a string. The reader's unescaping checks the text: invalid UTF-8 or a lone
/// surrogate (<c>"\ud800"</c>) is refused with a plain message, as a string property refuses it.
/// </summary>
public sealed class Utf8TextJsonConverter : JsonConverter<Utf8Text>
{
    /// <summary>
    /// Text is unescaped into an array its raw length bounds. Past this size the pool would keep a large array
    /// rented, so a fresh array of the raw length holds it: at most a few per cent larger than the text for mail,
    /// whose escapes are mostly line breaks.
    /// </summary>
    private const int PooledLimitBytes = 1024 * 1024;

    /// <summary>
    /// From this size on (the large-object heap's threshold) the text keeps the pooled array it was unescaped into,
    /// given back by <see cref="Utf8Text.Release"/> once its MIME is rendered: a fresh array of that size would be a
    /// large object, which only gen-2 collections sweep (JsonBody pools the request body for the same reason).
    /// Smaller text is copied out at its exact size.
    /// </summary>
    internal const int PooledTextBytes = 85_000;

    public override Utf8Text Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            // Without a message the serializer says the JSON type is wrong, as it does for a string property.
            throw new JsonException();
        }

        var raw = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        try
        {
            if (raw > PooledLimitBytes || (!reader.ValueIsEscaped && raw < PooledTextBytes))
            {
                // Unescaped, the raw length is the exact length; CopyString still checks the UTF-8.
                var text = raw == 0 ? [] : GC.AllocateUninitializedArray<byte>(raw);
                return new Utf8Text(text, reader.CopyString(text));
            }

            var scratch = ArrayPool<byte>.Shared.Rent(raw);
            var kept = false;
            try
            {
                var written = reader.CopyString(scratch);
                kept = written >= PooledTextBytes;
                return kept ? new Utf8Text(scratch, written, pooled: true) : new Utf8Text(scratch.AsSpan(0, written).ToArray(), written);
            }
            finally
            {
                if (!kept)
                {
                    ArrayPool<byte>.Shared.Return(scratch);
                }
            }
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("must be valid Unicode text (it holds invalid UTF-8 or a lone surrogate)", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, Utf8Text value, JsonSerializerOptions options) => writer.WriteStringValue(value.Span);
}
