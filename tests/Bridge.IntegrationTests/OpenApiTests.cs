using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// The OpenAPI document Bridge.Server generates (<c>GET /api/openapi.json</c>) against the snapshot the Functions
/// app serves, and the API reference page (<c>GET /api/reference</c>), on the real server.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class OpenApiTests(ServerFixture fixture)
{
    private const string UpdateVariable = "BRIDGE_UPDATE_OPENAPI";
    private static readonly string Snapshot = RepoPaths.Combine("src", "Bridge.Core", "Http", "openapi.json");

    [Fact]
    public async Task The_generated_document_is_OpenAPI_3_1_and_the_same_as_the_snapshot_the_Functions_app_serves()
    {
        var live = await GetAsync("/api/openapi.json", "application/json");
        using (var document = JsonDocument.Parse(live))
        {
            Assert.StartsWith("3.1.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        }

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(Snapshot, live, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        var snapshot = (await File.ReadAllTextAsync(Snapshot)).ReplaceLineEndings("\n");
        Assert.True(snapshot == live.ReplaceLineEndings("\n"),
            $"The OpenAPI snapshot {Snapshot} differs from the document Bridge.Server generates. If the change is meant, refresh it: "
            + $"{UpdateVariable}=1 dotnet test tests/Bridge.IntegrationTests --filter \"FullyQualifiedName~OpenApiTests\", then review and commit the file.");
    }

    [Fact]
    public async Task A_route_names_its_key_scope_its_parameters_its_problem_json_answers_and_the_wire_shapes()
    {
        using var document = JsonDocument.Parse(await GetAsync("/api/openapi.json", "application/json"));
        var paths = document.RootElement.GetProperty("paths");

        var send = paths.GetProperty("/api/v1/messages").GetProperty("post");
        Assert.Equal("SendMessage", send.GetProperty("operationId").GetString());
        Assert.Equal(["send"], send.GetProperty("security")[0].GetProperty("bearer").EnumerateArray().Select(s => s.GetString()));
        Assert.True(send.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(send.GetProperty("responses").GetProperty("401").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.Contains(send.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        Assert.Contains(paths.GetProperty("/api/v1/messages").GetProperty("get").GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "cursor" && p.GetProperty("in").GetString() == "query");
        Assert.Equal("string", paths.GetProperty("/api/v1/messages/{id}").GetProperty("get").GetProperty("parameters")[0].GetProperty("schema").GetProperty("type").GetString());
        Assert.False(paths.GetProperty("/api/health").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/api/v1/hooks/{name}").GetProperty("post").TryGetProperty("security", out _));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.Equal(["string", "object"], schemas.GetProperty("AddressInput").GetProperty("oneOf").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        Assert.Equal("integer", schemas.GetProperty("MessageView").GetProperty("properties").GetProperty("attempts").GetProperty("type").GetString());
        Assert.Equal("bearer", document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_reference_page_renders_the_document_in_a_browser_with_nothing_loaded_from_another_origin()
    {
        var html = await GetAsync("/api/reference", "text/html");
        var references = Reference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, url => url.Contains("//", StringComparison.Ordinal));

        var origin = $"http://127.0.0.1:{fixture.Server.Port}/";
        var seen = await BrowserPeer.RunAsync("api-reference-browser.mjs", ["--url", origin + "api/reference", "--expect", "Send one message"]);

        var requests = seen.GetProperty("requests").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(origin + "api/openapi.json", requests);
        Assert.All(requests, url => Assert.True(url.StartsWith(origin, StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal),
            $"The reference page loaded {url} from another origin."));
        Assert.Empty(seen.GetProperty("problems").EnumerateArray());
    }

    private async Task<string> GetAsync(string path, string mediaType)
    {
        using var response = await fixture.Server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["'](?<url>[^"']+)["']""")]
    private static partial Regex Reference();
}
