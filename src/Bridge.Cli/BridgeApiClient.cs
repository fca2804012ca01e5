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
    public const string UrlVariable = "BRIDGE_URL";
    public const string KeyVariable = "BRIDGE_API_KEY";

    /// <summary>A client for the Bridge the options name, or null after writing why there is none.</summary>
    public static BridgeApiClient? From(CliArguments options, CliContext context)
    {
        var url = options.Value("--url") ?? context.Environment(UrlVariable);
        if (url is null || !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            context.Error.WriteLine($"Name the Bridge to talk to with --url https://<host> or {UrlVariable}.");
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

    public async Task<(int Status, JsonElement Body)> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, cancellationToken);
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
