namespace Bridge.Testing;

/// <summary>
/// A span as an OTLP/HTTP export carries it, read from the protobuf by hand (the few fields a test needs):
/// ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2) → Span
/// with trace_id(1), span_id(2), parent_span_id(4), name(5) and string/int attributes(9).
/// </summary>
public sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes)
{
    public static IEnumerable<OtlpSpan> Parse(byte[] exportTraceServiceRequest)
    {
        foreach (var resourceSpans in Fields(exportTraceServiceRequest, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    yield return ParseSpan(span);
                }
            }
        }
    }

    private static OtlpSpan ParseSpan(byte[] span)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in Fields(span, 9))
        {
            var key = Text(Fields(keyValue, 1).Single());
            var value = Fields(keyValue, 2).SingleOrDefault();
            if (value is null)
            {
                continue;
            }

            var reader = new Reader(value);
            while (reader.Next() is { } field)
            {
                attributes[key] = field.Number switch
                {
                    1 => Text(field.Bytes!),
                    3 => field.Varint.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => attributes.GetValueOrDefault(key, ""),
                };
            }
        }

        return new OtlpSpan(
            Hex(Fields(span, 1).Single()), Hex(Fields(span, 2).Single()), Hex(Fields(span, 4).SingleOrDefault() ?? []),
            Text(Fields(span, 5).Single()), attributes);
    }

    private static IEnumerable<byte[]> Fields(byte[] message, int number)
    {
        var reader = new Reader(message);
        while (reader.Next() is { } field)
        {
            if (field.Number == number && field.Bytes is not null)
            {
                yield return field.Bytes;
            }
        }
    }

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private readonly record struct Field(int Number, long Varint, byte[]? Bytes);

    private sealed class Reader(byte[] data)
    {
        private int position;

        public Field? Next()
        {
            if (position >= data.Length)
            {
                return null;
            }

            var tag = ReadVarint();
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    return new Field(number, (long)ReadVarint(), null);
                case 1:
                    position += 8;
                    return new Field(number, 0, null);
                case 2:
                    var length = (int)ReadVarint();
                    var bytes = data.AsSpan(position, length).ToArray();
                    position += length;
                    return new Field(number, 0, bytes);
                case 5:
                    position += 4;
                    return new Field(number, 0, null);
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {tag & 7}.");
            }
        }

        private ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[position++];
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
        }
    }
}
