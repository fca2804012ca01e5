using System.Text;
using System.Text.Json;
using Bridge.Core.Http;
using Bridge.Testing;

namespace Bridge.Functions.Tests;

/// <summary>
/// The OpenAPI document covers every route: each route either host maps (functions.metadata, Bridge.Server's
/// endpoint table) is in the snapshot's paths with its method, and the snapshot lists no route neither serves.
/// The snapshot is Bridge.Server's generated document (Bridge.IntegrationTests' OpenApiTests fail when they differ),
/// and the Functions app serves it byte for byte.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class OpenApiDocumentTests(FunctionsFixture fixture)
{
    private static readonly string SnapshotPath = RepoPaths.Combine("src", "Bridge.Core", "Http", "openapi.json");

    [Fact]
    public void Every_route_of_either_host_is_in_the_document_and_the_document_has_no_other()
    {
        var documented = DocumentedRoutes(File.ReadAllText(SnapshotPath));
        // The document does not list itself.
        var functions = Without(RouteParityTests.FunctionsRoutes(), $"GET {ApiRoutes.OpenApi}");
        var server = Without(RouteParityTests.ServerRoutes(), $"GET {ApiRoutes.OpenApi}");

        Assert.True(documented.Count > 10, $"Expected the API's operations in {SnapshotPath}; found {documented.Count}.");
        Assert.Empty(functions.Except(documented));
        Assert.Empty(server.Except(documented));
        Assert.Empty(documented.Except(functions));
    }

    [Fact]
    public void A_route_missing_from_the_document_is_found()
    {
        var documented = DocumentedRoutes("""{ "paths": { "/api/health": { "get": {} }, "/api/v1/messages/{id}": { "get": {}, "parameters": [] } } }""");

        Assert.Equal(["GET health", "GET v1/messages/{id}"], documented);
        Assert.Equal(["DELETE v1/messages/{id}"], new[] { "GET health", "DELETE v1/messages/{id}" }.Except(documented));
    }

    [Fact]
    public async Task The_Functions_app_serves_the_snapshot_as_json()
    {
        var context = fixture.NewContext(apiKey: null);
        await fixture.Function<OpenApiFunction>().Run(context.Request).ExecuteAsync(context);

        context.Response.Body.Position = 0;
        var served = await new StreamReader(context.Response.Body, Encoding.UTF8).ReadToEndAsync();
        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(SnapshotPath), served);
    }

    /// <summary>"METHOD route" for each operation, the route relative to /api as the hosts declare them.</summary>
    private static SortedSet<string> DocumentedRoutes(string json)
    {
        using var document = JsonDocument.Parse(json);
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            Assert.StartsWith("/api/", path.Name, StringComparison.Ordinal);
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
            {
                routes.Add($"{operation.Name.ToUpperInvariant()} {path.Name["/api/".Length..]}");
            }
        }

        return routes;
    }

    private static SortedSet<string> Without(SortedSet<string> routes, string route)
    {
        Assert.Contains(route, routes);
        routes.Remove(route);
        return routes;
    }
}
