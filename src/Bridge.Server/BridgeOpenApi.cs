using Bridge.Core;
using Bridge.Core.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Bridge.Server;

/// <summary>
/// The OpenAPI 3.1 document, generated from <see cref="BridgeApi.MapBridgeApi"/>'s endpoint metadata and served at
/// <c>GET /api/openapi.json</c>, and the API reference page rendering it at <c>GET /api/reference</c> (Scalar, whose
/// script ships inside its assembly: the page loads nothing from another origin). The Functions app serves a
/// committed snapshot of this document (<see cref="OpenApiDocumentEndpoint"/>).
/// </summary>
internal static class BridgeOpenApi
{
    private const string Name = "v1";
    private const string DocumentRoute = BridgeApi.Prefix + "/" + ApiRoutes.OpenApi;

    public static IServiceCollection AddBridgeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(Name, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer<BridgeDocumentTransformer>();
            options.AddOperationTransformer<BridgeOperationTransformer>();
            options.AddSchemaTransformer<BridgeSchemaTransformer>();
            // A mail body is a plain JSON string on the wire (its converter keeps it as UTF-8 bytes): inline, not a component.
            options.CreateSchemaReferenceId = type =>
                type.Type == typeof(Bridge.Core.Messages.Utf8Text) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        });

    public static void MapBridgeOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentRoute);
        endpoints.MapScalarApiReference(BridgeApi.Prefix + "/" + ApiRoutes.Reference, options => options
            .WithTitle("Bridge API reference")
            .WithOpenApiRoutePattern(DocumentRoute)
            // Nothing from another origin: no web fonts, no telemetry, no hosted agent or proxy.
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
    }
}
