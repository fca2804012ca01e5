using System.Collections.ObjectModel;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bridge.Core.Events;

/// <summary>
/// A message's metadata (<c>{"orderId": "42"}</c>) as one JSON string: how the message row stores it and how its size is
/// counted against <c>Bridge:Limits:MaxMetadataLength</c>, so the limit measures exactly what is written.
/// </summary>
public static class MessageMetadata
{
    // Relaxed escaping keeps non-ASCII text as itself (the default writes each such character as six, \uXXXX), so
    // a limit in characters means the same for every language. The string goes to Table storage, never into HTML.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyDictionary<string, string> None { get; } = ReadOnlyDictionary<string, string>.Empty;

    public static string Serialize(IReadOnlyDictionary<string, string> metadata) => JsonSerializer.Serialize(metadata, Json);

    /// <summary>The stored text read back; none for a message stored without any (or by a version that kept none).</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? text) =>
        string.IsNullOrEmpty(text) ? None : JsonSerializer.Deserialize<Dictionary<string, string>>(text, Json) ?? None;
}
