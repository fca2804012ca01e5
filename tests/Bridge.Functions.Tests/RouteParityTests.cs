using System.Text.Json;
using Bridge.Core;
using Bridge.Core.Http;
using Bridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Bridge.Functions.Tests;

/// <summary>
/// Both hosts serve one table of routes: what the Functions host indexes (functions.metadata) and
/// what Bridge.Server maps (<see cref="BridgeApi.MapBridgeApi"/>, read from ASP.NET's endpoint data
/// source) must be the same set of methods and routes.
/// </summary>
public sealed class RouteParityTests
{
    [Fact]
    public void Functions_app_and_Bridge_Server_serve_the_same_routes_and_methods()
    {
        var functions = FunctionsRoutes();
        var server = ServerRoutes();

        Assert.NotEmpty(functions);
        Assert.Equal(functions, server);
    }

    /// <summary>"METHOD route" (route relative to /api) for every HTTP trigger the Functions host indexes.</summary>
    internal static SortedSet<string> FunctionsRoutes()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.BuildOutput("Bridge.Functions"), "functions.metadata")));
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var binding in document.RootElement.EnumerateArray().SelectMany(f => f.GetProperty("bindings").EnumerateArray()))
        {
            if (binding.GetProperty("type").GetString() != "httpTrigger")
            {
                continue;
            }

            foreach (var method in binding.GetProperty("methods").EnumerateArray())
            {
                routes.Add($"{method.GetString()!.ToUpperInvariant()} {binding.GetProperty("route").GetString()}");
            }
        }

        return routes;
    }

    /// <summary>
    /// "METHOD route" for every route Bridge.Server serves under /api: <see cref="BridgeApi.MapBridgeApi"/>'s table,
    /// plus the OpenAPI document, which Bridge.Server maps beside it with the generator's own MapOpenApi
    /// (src/Bridge.Server/BridgeOpenApi.cs; Bridge.IntegrationTests' OpenApiTests fetch it there).
    /// </summary>
    internal static SortedSet<string> ServerRoutes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Mapping resolves no service and opens no connection; the settings only have to bind.
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Bridge:Smtp:Profiles:default:Host"] = "localhost",
        });
        builder.Services.AddBridgeCore(builder.Configuration);
        using var app = builder.Build();
        app.MapBridgeApi();

        var routes = new SortedSet<string>(StringComparer.Ordinal) { $"GET {ApiRoutes.OpenApi}" };
        foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>())
        {
            var route = endpoint.RoutePattern.RawText!.TrimStart('/');
            Assert.StartsWith("api/", route, StringComparison.Ordinal);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                routes.Add($"{method} {route["api/".Length..]}");
            }
        }

        return routes;
    }
}
