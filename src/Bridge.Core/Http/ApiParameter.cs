namespace Bridge.Core.Http;

/// <summary>
/// Endpoint metadata: a query or header parameter the handler reads itself (from <c>HttpRequest</c>), so the
/// OpenAPI document can list it. Only describes the route; the handler parses and checks it.
/// </summary>
public sealed record ApiParameter(string Name, ApiParameterLocation In, string Description);

/// <summary>Where an <see cref="ApiParameter"/> is sent.</summary>
public enum ApiParameterLocation
{
    Query,
    Header,
}
