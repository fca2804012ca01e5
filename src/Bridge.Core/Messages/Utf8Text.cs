using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Serialization;

namespace Bridge.Core.Messages;

/// <summary>
/// A mail body (a send's <c>text</c> or <c>html</c>) held as the UTF-8 bytes it travels in, from the JSON to the MIME
/// part: a string would cost the text twice over as UTF-16 and once more when MimeKit encodes it back to UTF-8. A
/// JSON string on the wire; valid UTF-8 always (the converter refuses invalid UTF-8 and lone surrogates).
/// </summary>
[JsonConverter(typeof(Utf8TextJsonConverter))]
public sealed class Utf8Text : IEquatable<Utf8Text>
{
    private readonly int length;
    private readonly bool pooled;
    private byte[] bytes;

    /// <summary>Takes <paramref name="bytes"/> (its first <paramref name="length"/> bytes, valid UTF-8) without copying.</summary>
    internal Utf8Text(byte[] bytes, int length, bool pooled = false)
    {
        this.bytes = bytes;
        this.length = length;
        this.pooled = pooled;
    }

    public ReadOnlySpan<byte> Span => bytes.AsSpan(0, length);

    public bool IsEmpty => length == 0;

    /// <summary>Text given as a string (a compat mapping, a template, a test), encoded once; a lone surrogate becomes U+FFFD, as MimeKit would make it.</summary>
    public static Utf8Text FromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var encoded = Encoding.UTF8.GetBytes(text);
        return new(encoded, encoded.Length);
    }

    [return: NotNullIfNotNull(nameof(text))]
    public static implicit operator Utf8Text?(string? text) => text is null ? null : FromString(text);

    /// <summary>
    /// Gives a pooled array back to <see cref="ArrayPool{T}.Shared"/> (the converter pools a text that would otherwise
    /// be a large-object-heap array); nothing for any other text. Only once nothing will read the text again: the
    /// endpoints call it once the MIME made of it is rendered. Reading it afterwards throws rather than reading another
    /// request's bytes; releasing twice gives the array back once.
    /// </summary>
    internal void Release()
    {
        if (pooled && Interlocked.Exchange(ref bytes, []) is { Length: > 0 } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    /// <summary>The bytes as a read-only stream over them (no copy), for a MIME part's content.</summary>
    public Stream OpenRead() => new MemoryStream(bytes, 0, length, writable: false);

    public override string ToString() => Encoding.UTF8.GetString(Span);

    public bool Equals(Utf8Text? other) => other is not null && Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => Equals(obj as Utf8Text);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }
}
