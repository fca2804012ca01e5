using Bridge.Core.Http;
using Bridge.Core.Messages;
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
/// What the handlers read from the request themselves, from the route's metadata: routes carrying
/// <see cref="ApiKeyRequirement"/> need a key, by either scheme, with the scope named (OpenAPI 3.1 allows role
/// names in a non-OAuth requirement); routes without it (health, the hook, the pages) need none. Each
/// <see cref="ApiParameter"/> becomes a string parameter.
/// </summary>
internal sealed class BridgeOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        foreach (var parameter in metadata.OfType<ApiParameter>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = parameter.In == ApiParameterLocation.Header ? ParameterLocation.Header : ParameterLocation.Query,
                Description = parameter.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (metadata.OfType<ApiKeyRequirement>().FirstOrDefault() is { } requirement)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BridgeDocumentTransformer.Bearer, context.Document)] = [requirement.Scope] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BridgeDocumentTransformer.ApiKeyHeader, context.Document)] = [requirement.Scope] },
            ];
        }

        DescribeUpload(operation);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A route that takes JSON and a multipart upload of it: the form is a 'message' part holding the JSON body
    /// and any number of binary 'attachment' file parts (the generator would instead spread the JSON type's fields
    /// over form fields).
    /// </summary>
    private static void DescribeUpload(OpenApiOperation operation)
    {
        if (operation.RequestBody?.Content is not { } content
            || !content.TryGetValue(MultipartSendBody.ContentType, out var form) || !content.TryGetValue("application/json", out var json))
        {
            return;
        }

        form.Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { MultipartSendBody.MessagePart },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                [MultipartSendBody.MessagePart] = json.Schema!,
                [MultipartSendBody.AttachmentPart] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    Description = "Files as they are (no base64), one part each: the part's filename and Content-Type name the attachment; "
                                  + "a Content-ID header makes it an inline image referenced from the HTML as cid:.",
                },
            },
        };
        form.Encoding = new Dictionary<string, OpenApiEncoding> { [MultipartSendBody.MessagePart] = new() { ContentType = "application/json" } };
    }
}

/// <summary>
/// Schemas as the wire has them where the generator cannot see it: an address (a custom converter) is a string
/// <c>"Name &lt;a@b&gt;"</c> or <c>{"email", "name"}</c>; a mail body (<see cref="Utf8Text"/>, another) is a string; and a number is a number (the generator adds "or a
/// numeric string" because the web JSON defaults read those, but Bridge writes numbers and documents numbers).
/// </summary>
internal sealed class BridgeSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(AddressInput))
        {
            schema.OneOf = [.. Address().OneOf!];
            schema.Type = null;
        }
        else if (context.JsonTypeInfo.ElementType == typeof(AddressInput))
        {
            schema.Items = Address();
        }
        else if (type == typeof(Utf8Text))
        {
            // Null where the property is nullable (SendRequest's text and html), as for a string property.
            var nullable = context.JsonPropertyInfo?.AttributeProvider is System.Reflection.PropertyInfo property
                           && new System.Reflection.NullabilityInfoContext().Create(property).ReadState != System.Reflection.NullabilityState.NotNull;
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }

        const JsonSchemaType numeric = JsonSchemaType.Integer | JsonSchemaType.Number;
        if (schema.Type is { } schemaType && (schemaType & numeric) != 0 && (schemaType & JsonSchemaType.String) != 0)
        {
            schema.Type = schemaType & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Address() => new()
    {
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.String, Description = "'Name <address>' or a bare address" },
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["email"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["name"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
                Required = new HashSet<string> { "email" },
                AdditionalPropertiesAllowed = false,
            },
        ],
    };
}
