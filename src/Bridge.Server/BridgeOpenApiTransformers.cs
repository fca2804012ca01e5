using Bridge.Core.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bridge.Server;

/// <summary>
/// The document's frame: title and description, the two ways to present an API key, and no <c>servers</c>,
/// so clients call the origin they fetched the document from and the document is the same on every host
/// and port (the Functions app serves a snapshot of it).
/// </summary>
internal sealed class BridgeDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string Bearer = "bearer";
    public const string ApiKeyHeader = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Bridge",
            Version = "v1",
            Description = "HTTPS-to-SMTP relay. Errors are RFC 9457 problem details (application/problem+json) with a "
                          + "type 'urn:bridge:problem:<name>'; docs/api.md lists them.",
        };
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key as 'Authorization: Bearer <key>'.",
            },
            [ApiKeyHeader] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "The same API key as 'X-Api-Key: <key>'.",
            },
        };
        return Task.CompletedTask;
    }
}

/// <summary>
/// Routes carrying <see cref="ApiKeyRequirement"/> need a key: either scheme, with the scope named (OpenAPI 3.1
/// allows role names in a non-OAuth requirement). Routes without it (health, the hook, the pages) need none.
/// </summary>
internal sealed class ApiKeyOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiKeyRequirement>().FirstOrDefault() is { } requirement)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BridgeDocumentTransformer.Bearer, context.Document)] = [requirement.Scope] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BridgeDocumentTransformer.ApiKeyHeader, context.Document)] = [requirement.Scope] },
            ];
        }

        return Task.CompletedTask;
    }
}
