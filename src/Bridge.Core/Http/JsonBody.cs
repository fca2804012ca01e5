using System.Buffers;
using System.Text.Json;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Http;

/// <summary>Reads a JSON request body within the size limit and turns every way it can be wrong into a problem answer.</summary>
public sealed class JsonBody(IOptions<MessageLimits> limits)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>Returns the parsed body with its SHA-256, or the problem to answer with instead.</summary>
    public async Task<JsonBodyResult<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var limit = limits.Value.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            return new(null, "", Problems.TooLarge(limit));
        }

        if (request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return new(null, "", Problems.UnsupportedMediaType());
        }

        try
        {
            await using var body = new LimitedReadStream(request.Body, limit);
            var value = request.ContentLength is { } length
                ? await DeserializeWholeAsync<T>(body, (int)length, cancellationToken).ConfigureAwait(false)
                : await JsonSerializer.DeserializeAsync<T>(body, Options, cancellationToken).ConfigureAwait(false);
            return value is null
                ? new(null, "", Problems.BadJson("The body must be a JSON object, not null."))
                : new(value, body.Sha256(), null);
        }
        catch (RequestTooLargeException)
        {
            return new(null, "", Problems.TooLarge(limit));
        }
        catch (JsonException e)
        {
            return new(null, "", Describe(e));
        }
        catch (EndOfStreamException)
        {
            return new(null, "", Problems.BadJson("The body ended before the length its Content-Length header declares."));
        }
    }

    /// <summary>
    /// Returns the body's exact bytes with their SHA-256, read within the same size limit, or the problem to
    /// answer with. For callers that must check a signature over the raw bytes before anything parses them.
    /// </summary>
    public async Task<RawBodyResult> ReadRawAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = limits.Value.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            return new([], "", Problems.TooLarge(limit));
        }

        try
        {
            await using var body = new LimitedReadStream(request.Body, limit);
            using var copy = new MemoryStream();
            await body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            return new(copy.ToArray(), body.Sha256(), null);
        }
        catch (RequestTooLargeException)
        {
            return new([], "", Problems.TooLarge(limit));
        }
    }

    /// <summary>
    /// Bodies up to this size are read into a pooled array instead of a fresh one per request: the body is the
    /// largest single allocation of a mid-size accept, and by default an array of 85,000 bytes or more lands on
    /// the large-object heap, which only gen-2 collections sweep. Larger bodies are rare, and a pooled array of
    /// their size would stay rented by the pool afterwards.
    /// </summary>
    internal const int PooledBodyLimitBytes = 1024 * 1024;

    /// <summary>
    /// A body of declared length is read into one array of at least that size and parsed from it. The
    /// streaming reader would instead grow its buffer by doubling to hold a large base64 token whole,
    /// costing up to twice the body again in pooled arrays that stay rented afterwards. The parsed value
    /// keeps nothing of the array (strings and bytes are copied out), so a pooled one goes back at once.
    /// </summary>
    private static async Task<T?> DeserializeWholeAsync<T>(Stream body, int length, CancellationToken cancellationToken)
    {
        var pooled = length <= PooledBodyLimitBytes;
        var bytes = pooled ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
        try
        {
            await body.ReadExactlyAsync(bytes.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize<T>(bytes.AsSpan(0, length), Options);
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }
    }

    /// <summary>Parses JSON already read (a multipart body's JSON part), naming what is wrong as <see cref="ReadAsync{T}"/> does.</summary>
    internal static JsonBodyResult<T> Parse<T>(ReadOnlySpan<byte> json, string sha256)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) is { } value
                ? new(value, sha256, null)
                : new(null, "", Problems.BadJson("The body must be a JSON object, not null."));
        }
        catch (JsonException e)
        {
            return new(null, "", Describe(e));
        }
    }

    private static IResult Describe(JsonException e)
    {
        var field = FieldName(e.Path);
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var name = e.Message.Split('\'') is { Length: > 2 } parts ? parts[1] : field;
            return Problems.BadJson($"'{name}' is not a known field.", new Dictionary<string, string[]> { [name] = ["is not a known field"] });
        }

        if (string.IsNullOrEmpty(field))
        {
            return Problems.BadJson(e.LineNumber is { } line
                ? $"The body is not valid JSON (line {line + 1}, position {e.BytePositionInLine + 1})."
                : "The body is not valid JSON.");
        }

        // Our converters word their own messages; the serializer's mention .NET types, so say it plainly.
        var message = e.Message.Contains("System.", StringComparison.Ordinal) || e.Message.Contains("Path:", StringComparison.Ordinal)
            ? "has the wrong JSON type"
            : e.Message;
        return Problems.BadJson($"'{field}' {message}.", new Dictionary<string, string[]> { [field] = [message] });
    }

    /// <summary>Turns <c>$.to[1].email</c> into <c>to[1].email</c>.</summary>
    private static string FieldName(string? path) => path is null ? "" : path.TrimStart('$').TrimStart('.');
}

/// <summary>A body's raw bytes and their hex SHA-256, or the problem to answer with.</summary>
public sealed record RawBodyResult(byte[] Bytes, string Sha256, IResult? Problem);

/// <summary>A parsed body and the hex SHA-256 of its bytes, or the problem to answer with.</summary>
public sealed record JsonBodyResult<T>(T? Value, string Sha256, IResult? Problem)
    where T : class;
