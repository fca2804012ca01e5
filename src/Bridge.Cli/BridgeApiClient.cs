using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bridge.Cli;

/// <summary>
/// The HTTP API of a running Bridge, for the commands that read or act on its messages. The address comes
/// from <c>--url</c> or BRIDGE_URL; the key from BRIDGE_API_KEY or a prompt, never a flag (it would end up
/// in shell history).
/// </summary>
internal sealed class BridgeApiClient(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Absent fields stay absent: Bridge tells "not given" from "given empty".
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public const string UrlVariable = "BRIDGE_URL";
    public const string KeyVariable = "BRIDGE_API_KEY";

    /// <summary>A client for the Bridge <c>--url</c> (or BRIDGE_URL) names, or null after writing why there is none.</summary>
    public static BridgeApiClient? From(Uri? url, CliContext context)
    {
        var address = url ?? ParseAddress(context.Environment(UrlVariable));
        if (address is null)
        {
            context.Error.WriteLine($"Name the Bridge to talk to with --url https://<host> or {UrlVariable} (an http or https address).");
            return null;
        }

        var key = context.Environment(KeyVariable) ?? context.ReadSecret("API key: ");
        if (string.IsNullOrWhiteSpace(key))
        {
            context.Error.WriteLine($"No API key: set {KeyVariable} or type it at the prompt.");
            return null;
        }

        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
        return new BridgeApiClient(http);
    }

    /// <summary>An absolute http(s) address with a trailing slash, so relative paths land under it; null for anything else.</summary>
    public static Uri? ParseAddress(string? text) =>
        text is not null && Uri.TryCreate(text.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var address) && address.Scheme is "http" or "https"
            ? address
            : null;

    public async Task<(int Status, JsonElement Body)> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    public async Task<(int Status, JsonElement Body)> PostAsync<T>(string path, T body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Bridge.Core.Messages.IdempotencyKey.HeaderName, idempotencyKey);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    /// <summary>A problem answer as one line for the terminal: its title, detail and each field's error.</summary>
    public static string Describe(int status, JsonElement problem)
    {
        if (problem.ValueKind != JsonValueKind.Object)
        {
            return $"Bridge answered {status}.";
        }

        var text = $"Bridge answered {status}: {Text(problem, "title")} {Text(problem, "detail")}".TrimEnd();
        if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            text += string.Concat(errors.EnumerateObject().Select(e => $"\n  {e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString()))}"));
        }

        return text;
    }

    public void Dispose() => http.Dispose();

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static async Task<(int Status, JsonElement Body)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body = default;
        if (text.Length > 0)
        {
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not Bridge's JSON (a proxy's error page): the status alone is reported.
            }
        }

        return ((int)response.StatusCode, body);
    }
}
