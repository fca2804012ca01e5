using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bridge.Core.Messages;

/// <summary>
/// Reads a <c>multipart/form-data</c> send, as Mailgun's API takes one: a part named <c>message</c> holding the
/// JSON send request, and any number of file parts named <c>attachment</c> holding the files as they are, without
/// base64. Each file is spooled to a temporary file as it arrives, so memory stays bounded whatever its size, and
/// rendering the MIME later streams it from there into the claim-checked payload blob. Every way the body can be
/// wrong becomes a problem answer, and then every spooled file is gone again.
/// </summary>
public sealed class MultipartSendBody(IOptions<MessageLimits> limits)
{
    public const string ContentType = "multipart/form-data";
    public const string MessagePart = "message";
    public const string AttachmentPart = "attachment";

    /// <summary>RFC 2046 allows a boundary of at most 70 characters.</summary>
    private const int MaxBoundaryLength = 70;

    private const int CopyBufferBytes = 81920;

    /// <summary>Where file parts are spooled: the system's temporary directory (a test points it at its own).</summary>
    internal string SpoolDirectory { get; init; } = Path.GetTempPath();

    public static bool IsMultipart(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Returns the send request with its uploaded files, and a SHA-256 over what the parts carry (not over their
    /// framing, so a retry whose client picked another boundary is the same body for its idempotency key); or the
    /// problem to answer with.
    /// </summary>
    public async Task<MultipartSendResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var max = limits.Value;
        if (request.ContentLength > max.MaxUploadBytes)
        {
            return MultipartSendResult.Refused(TooLarge(max));
        }

        var boundary = MediaTypeHeaderValue.Parse(request.ContentType).Boundary;
        var boundaryText = HeaderUtilities.RemoveQuotes(boundary).Value;
        if (string.IsNullOrEmpty(boundaryText) || boundaryText.Length > MaxBoundaryLength)
        {
            return MultipartSendResult.Refused(Problems.BadMultipart($"The Content-Type header needs a boundary parameter of 1 to {MaxBoundaryLength} characters."));
        }

        var files = new List<UploadedFile>();
        MultipartSendResult result;
        try
        {
            result = await ReadPartsAsync(request, boundaryText, files, max, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestTooLargeException)
        {
            result = MultipartSendResult.Refused(TooLarge(max));
        }
        catch (MalformedPartException e)
        {
            result = MultipartSendResult.Refused(Problems.BadMultipart(e.Message));
        }
        catch
        {
            await DisposeAllAsync(files).ConfigureAwait(false);
            throw;
        }

        if (result.Problem is not null)
        {
            await DisposeAllAsync(files).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<MultipartSendResult> ReadPartsAsync(
        HttpRequest request, string boundary, List<UploadedFile> files, MessageLimits max, CancellationToken cancellationToken)
    {
        await using var body = new LimitedReadStream(request.Body, max.MaxUploadBytes);
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = null };
        using var fingerprint = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[]? json = null;
        while (await NextSectionAsync(reader, cancellationToken).ConfigureAwait(false) is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            var name = disposition is not null && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                : null;
            switch (name)
            {
                case MessagePart when json is not null:
                    return Problem($"Only one '{MessagePart}' part is allowed.");
                case MessagePart:
                    json = await ReadMessageAsync(section.Body, max.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
                    if (json is null)
                    {
                        return MultipartSendResult.Refused(Problems.PartTooLarge($"The '{MessagePart}' part may carry at most {max.MaxRequestBytes} bytes."));
                    }

                    Fingerprint(fingerprint, MessagePart, json.Length);
                    fingerprint.AppendData(json);
                    break;
                case AttachmentPart when files.Count >= max.MaxAttachments:
                    return Problem($"At most {max.MaxAttachments} attachments are allowed.", "attachments", $"at most {max.MaxAttachments} attachments are allowed");
                case AttachmentPart:
                    var file = await SpoolAsync(section, disposition!, fingerprint, max.MaxAttachmentBytes, cancellationToken).ConfigureAwait(false);
                    if (file is null)
                    {
                        return MultipartSendResult.Refused(Problems.PartTooLarge(
                            $"Attachment {files.Count} is larger than {max.MaxAttachmentBytes} bytes, the most one file part may carry."));
                    }

                    files.Add(file);
                    break;
                case null:
                    return Problem("Every part needs a 'Content-Disposition: form-data; name=...' header.");
                default:
                    return Problem($"'{name}' is not a known part: send '{MessagePart}' (the JSON send request) and '{AttachmentPart}' file parts.",
                        name, "is not a known part");
            }
        }

        if (json is null)
        {
            return Problem($"The '{MessagePart}' part (the JSON send request) is required.", MessagePart, "is required");
        }

        var parsed = JsonBody.Parse<SendRequest>(json, Convert.ToHexStringLower(fingerprint.GetCurrentHash()));
        return parsed.Problem is { } problem
            ? MultipartSendResult.Refused(problem)
            : new MultipartSendResult(parsed.Value! with { Uploads = files }, parsed.Sha256, null);
    }

    private static MultipartSendResult Problem(string detail, string? field = null, string? message = null) =>
        MultipartSendResult.Refused(Problems.BadMultipart(detail, field is null ? null : new Dictionary<string, string[]> { [field] = [message!] }));

    private static IResult TooLarge(MessageLimits max) => Problems.PartTooLarge(
        $"A multipart body may carry at most {max.MaxUploadBytes} bytes, and each file part at most {max.MaxAttachmentBytes}.");

    /// <summary>The multipart reader says a body is broken with these; Bridge's own limit is a <see cref="RequestTooLargeException"/>, let through.</summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not RequestTooLargeException))
        {
            throw new MalformedPartException($"The multipart body is malformed: {e.Message}", e);
        }
    }

    /// <summary>Reads a part's body a buffer at a time, turning a broken body into <see cref="MalformedPartException"/>.</summary>
    private static async ValueTask<int> ReadPartAsync(Stream part, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await part.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not RequestTooLargeException))
        {
            throw new MalformedPartException($"The multipart body is malformed: {e.Message}", e);
        }
    }

    /// <summary>The JSON part, whole (it is parsed as one document); null when it is over <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadMessageAsync(Stream part, long limit, CancellationToken cancellationToken)
    {
        using var json = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            int read;
            while ((read = await ReadPartAsync(part, buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (json.Length + read > limit)
                {
                    return null;
                }

                json.Write(buffer, 0, read);
            }

            return json.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies a file part to a temporary file; null (and the file gone) when it is over <paramref name="limit"/>.</summary>
    private async Task<UploadedFile?> SpoolAsync(
        MultipartSection section, ContentDispositionHeaderValue disposition, IncrementalHash fingerprint, long limit, CancellationToken cancellationToken)
    {
        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
        var contentType = section.ContentType;
        // A Content-ID header is written in angle brackets; the JSON field, and the validator, take it without.
        var contentId = section.Headers?.TryGetValue("Content-ID", out var id) == true ? id.ToString().Trim() is var text
            && text.StartsWith('<') && text.EndsWith('>') ? text[1..^1] : id.ToString() : null;
        Fingerprint(fingerprint, AttachmentPart, fileName, contentType, contentId);

        var spool = UploadedFile.CreateSpool(SpoolDirectory);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            int read;
            while ((read = await ReadPartAsync(section.Body, buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (spool.Length + read > limit)
                {
                    await spool.DisposeAsync().ConfigureAwait(false);
                    return null;
                }

                fingerprint.AppendData(buffer, 0, read);
                await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            Fingerprint(fingerprint, spool.Length);
            spool.Position = 0;
            return new UploadedFile(fileName, contentType, contentId, spool);
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Adds fields to the fingerprint, each ended by a NUL, so no two different sequences of fields hash alike.</summary>
    private static void Fingerprint(IncrementalHash hash, params object?[] fields)
    {
        foreach (var field in fields)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Convert.ToString(field, System.Globalization.CultureInfo.InvariantCulture) ?? "-"));
            hash.AppendData([0]);
        }
    }

    private static async Task DisposeAllAsync(List<UploadedFile> files)
    {
        foreach (var file in files)
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }

        files.Clear();
    }

    /// <summary>The body is not well-formed multipart; the message says how.</summary>
    private sealed class MalformedPartException(string message, Exception inner) : Exception(message, inner);
}

/// <summary>A multipart send's request (with its spooled files) and fingerprint, or the problem to answer with.</summary>
public sealed record MultipartSendResult(SendRequest? Value, string Sha256, IResult? Problem) : IAsyncDisposable
{
    internal static MultipartSendResult Refused(IResult problem) => new(null, "", problem);

    /// <summary>Deletes the spooled files: once the message is accepted (its MIME is stored) or refused.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var file in Value?.Uploads ?? [])
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
