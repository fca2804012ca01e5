using System.Buffers;

namespace Bridge.Core.Tests.Messages;

/// <summary>
/// Bytes as a sequence of segments of a given size, as a request body read in pieces reaches a JSON reader: a converter
/// then gets a value split across segments (<c>HasValueSequence</c>).
/// </summary>
internal static class SegmentedBytes
{
    public static ReadOnlySequence<byte> Of(byte[] data, int size)
    {
        var first = new Segment(data.AsMemory(0, Math.Min(size, data.Length)), 0);
        var last = first;
        for (var offset = size; offset < data.Length; offset += size)
        {
            last = last.Append(data.AsMemory(offset, Math.Min(size, data.Length - offset)));
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
