using System.Buffers;
using System.IO.Compression;

namespace Bridge.Core.Outbox;

/// <summary>
/// Brotli for MIME that is too large to travel inline as text: mail text and HTML shrink several times over, so
/// many 32-200 KiB messages fit a queue message compressed and skip the payload blob (its put, its download and its
/// delete). Base64 (attachments) shrinks by about a quarter at best, so such messages overflow the budget early
/// and cost little compression before they go to a blob as before.
/// </summary>
internal static class InlineCompression
{
    /// <summary>
    /// Quality 4 of 11: most of the ratio of the higher levels (mail text is repetitive) at a fraction of their CPU
    /// (with 5, a 100 KiB accept cost clearly more CPU than without compression in bench stage-cost; with 4, about the same).
    /// A 512 KiB window covers every input that could fit: a larger one only costs memory.
    /// </summary>
    private const int Quality = 4;
    private const int WindowBits = 19;

    /// <summary>
    /// The base64 of <paramref name="mime"/> compressed, when it is at most <paramref name="limit"/> characters;
    /// otherwise null, found out as soon as the output outgrows the budget (the rest is never compressed).
    /// </summary>
    public static string? TryCompress(ReadOnlySequence<byte> mime, int limit)
    {
        var budget = limit / 4 * 3;
        var output = ArrayPool<byte>.Shared.Rent(budget);
        try
        {
            using var encoder = new BrotliEncoder(Quality, WindowBits);
            var written = 0;
            foreach (var segment in mime)
            {
                if (!Compress(encoder, segment.Span, output.AsSpan(0, budget), ref written, final: false))
                {
                    return null;
                }
            }

            return Compress(encoder, [], output.AsSpan(0, budget), ref written, final: true)
                ? Convert.ToBase64String(output, 0, written)
                : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>The decompressed MIME of <see cref="OutboxEnvelope.MimeBrotli"/>, read as a stream (never as one array).</summary>
    public static Stream Open(string packed) =>
        new BrotliStream(new MemoryStream(Convert.FromBase64String(packed)), CompressionMode.Decompress);

    /// <summary>Feeds <paramref name="source"/> to the encoder; false when the output no longer fits.</summary>
    private static bool Compress(BrotliEncoder encoder, ReadOnlySpan<byte> source, Span<byte> output, ref int written, bool final)
    {
        while (true)
        {
            var status = encoder.Compress(source, output[written..], out var consumed, out var produced, final);
            written += produced;
            source = source[consumed..];
            switch (status)
            {
                case OperationStatus.Done when source.IsEmpty:
                    return true;
                case OperationStatus.Done:
                    continue;
                case OperationStatus.DestinationTooSmall:
                    return false;
                default:
                    throw new InvalidOperationException($"Brotli compression answered {status}.");
            }
        }
    }
}
