using System.Text;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Http;

/// <summary>
/// <c>GET /api/openapi.json</c> on the Functions app: the OpenAPI document Bridge.Server generates from its
/// endpoint table, committed as a snapshot (<c>src/Bridge.Core/Http/openapi.json</c>) and built into this
/// assembly, since the Functions worker has no ASP.NET endpoint table to generate it from. A test fails when
/// the snapshot and Bridge.Server's live document differ (docs/api.md says how to refresh it).
/// </summary>
public sealed class OpenApiDocumentEndpoint
{
    public const string ResourceName = "Bridge.Core.Http.openapi.json";

    private readonly byte[] document;

    public OpenApiDocumentEndpoint()
    {
        using var stream = typeof(OpenApiDocumentEndpoint).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"The OpenAPI document ({ResourceName}) is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        document = buffer.ToArray();
    }

    /// <summary>The snapshot's text, as served.</summary>
    public string Text => Encoding.UTF8.GetString(document);

    public IResult Handle() => TypedResults.Bytes(document, "application/json; charset=utf-8");
}
