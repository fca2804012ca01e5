namespace Bridge.Core.Messages;

/// <summary>
/// A file part of a <c>multipart/form-data</c> send, spooled to a temporary file as it arrived, so a 25 MiB file
/// never sits in memory. The headers are kept as sent; <see cref="SendRequestValidator"/> judges them like a JSON
/// attachment's fields. The file is deleted when this is disposed (and by the OS if the process dies first).
/// </summary>
public sealed class UploadedFile(string? fileName, string? contentType, string? contentId, FileStream content) : IAsyncDisposable
{
    public string? FileName { get; } = fileName;
    public string? ContentType { get; } = contentType;
    public string? ContentId { get; } = contentId;

    /// <summary>The bytes, readable and seekable: rendering the MIME may read them more than once.</summary>
    public Stream Content => content;

    public long Length => content.Length;

    /// <summary>A temporary file in <paramref name="directory"/> that deletes itself when closed.</summary>
    internal static FileStream CreateSpool(string directory) => new(Path.Combine(directory, "bridge-upload-" + Path.GetRandomFileName()),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    public ValueTask DisposeAsync() => content.DisposeAsync();
}
