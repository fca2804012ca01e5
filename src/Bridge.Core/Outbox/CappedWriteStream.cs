namespace Bridge.Core.Outbox;

/// <summary>
/// Passes writes on to <paramref name="inner"/> until they would take it past <paramref name="capacity"/>
/// bytes, then throws <see cref="CapacityExceededException"/>: renders a message into a buffer only
/// while it is small enough to be worth buffering.
/// </summary>
internal sealed class CappedWriteStream(Stream inner, long capacity) : Stream
{
    private long written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => written;
    public override long Position { get => written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Reserve(buffer.Length);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Reserve(buffer.Length);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void Reserve(int count)
    {
        if (written + count > capacity)
        {
            throw new CapacityExceededException();
        }

        written += count;
    }

    /// <summary>The writes went past the capacity; what was written so far is incomplete.</summary>
    internal sealed class CapacityExceededException() : IOException("The rendering is larger than the buffer allows.");
}
