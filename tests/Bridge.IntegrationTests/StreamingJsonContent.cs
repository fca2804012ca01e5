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

    /// <summary>Posts <paramref name="length"/> bytes as a send request; returns the status (null if the server cut the connection) and how much was written.</summary>
    public static async Task<(HttpStatusCode? Status, long Written)> PostAsync(HttpClient http, string apiKey, long length)
    {
        var content = new StreamingJsonContent(length);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages") { Content = content };
        request.Headers.Authorization = new("Bearer", apiKey);
        try
        {
            using var response = await http.SendAsync(request);
            return (response.StatusCode, content.Written);
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client is still writing; the written count still tells.
            return (null, content.Written);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
