using System.Text.Json;
using Bridge.Core.Hooks;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Callbacks;

/// <summary>
/// Checks a received callback the way a receiver should, for <c>bridge callbacks verify</c>: the same Standard Webhooks
/// check Bridge applies to incoming hooks. A saved callback is old, so its age is checked only when asked.
/// </summary>
public static class CallbackVerifier
{
    /// <summary>Null when the signature matches (and the timestamp is within <paramref name="maxAge"/>, if given); otherwise why not.</summary>
    /// <exception cref="UnusableSecretException">The secret is not whsec_ followed by base64.</exception>
    public static string? Verify(byte[] body, IReadOnlyDictionary<string, string> headers, string secret, DateTimeOffset now, TimeSpan? maxAge)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }

        // Without a maximum age any timestamp passes: a century either way.
        return new StandardWebhooksVerifier(maxAge ?? TimeSpan.FromDays(36_500))
            .Verify(new HookDelivery(dictionary, QueryCollection.Empty, body), secret, now);
    }

    /// <summary>
    /// Reads saved headers: a JSON object (<c>{"webhook-id": "..."}</c>) or <c>Name: value</c> lines as a raw HTTP
    /// request shows them (a request line and other headers are skipped over).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseHeaders(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (text.TrimStart().StartsWith('{'))
        {
            foreach (var property in JsonDocument.Parse(text).RootElement.EnumerateObject())
            {
                headers[property.Name] = property.Value.ToString();
            }

            return headers;
        }

        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line[..colon].Contains(' ', StringComparison.Ordinal))
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return headers;
    }
}
