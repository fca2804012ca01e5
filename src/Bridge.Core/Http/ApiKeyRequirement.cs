namespace Bridge.Core.Http;

/// <summary>
/// Endpoint metadata: this route needs an API key with <see cref="Scope"/> (sent as a bearer token or
/// <c>X-Api-Key</c>). Only describes the route for the OpenAPI document; <see cref="ApiGate"/> enforces it.
/// </summary>
public sealed record ApiKeyRequirement(string Scope);
