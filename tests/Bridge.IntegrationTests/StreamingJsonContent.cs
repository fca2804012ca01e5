using System.Net;

namespace Bridge.IntegrationTests;

/// <summary>A chunked JSON body of a given length, counting how much the client managed to write before the server stopped it.</summary>
internal sealed class StreamingJsonContent(long length) : HttpContent
{
    public long Written { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var chunk = Enumerable.Repeat((byte)'A', 64 * 1024).ToArray();
        await stream.WriteAsync("{\"text\":\""u8.ToArray());
        while (Written < length)
        {
            await stream.WriteAsync(chunk);
            Written += chunk.Length;
        }

        await stream.WriteAsync("\"}"u8.ToArray());
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
