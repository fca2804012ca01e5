using Bridge.Core.Auth;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Http;

/// <summary>The checks every authenticated route makes first: a known key (401), the route's scope (403), the key's request rate (429).</summary>
public sealed class ApiGate(ApiKeyAuthenticator authenticator, RequestRateLimiter rateLimiter)
{
    /// <param name="ownKeyHeader">A drop-in API's own key header, read before the standard ones (Postmark's token header).</param>
    public Admission Admit(HttpRequest request, string scope, string? ownKeyHeader = null)
    {
        if (authenticator.Authenticate(request, ownKeyHeader) is not { } caller)
        {
            return new Admission(null, Problems.Unauthorized());
        }

        if (!caller.Has(scope))
        {
            return new Admission(null, Problems.Forbidden("scope-required", $"API key '{caller.KeyName}' lacks the '{scope}' scope."));
        }

        return rateLimiter.Check(caller) is { } wait
            ? new Admission(null, Problems.RateLimited($"API key '{caller.KeyName}' may make {caller.RequestsPerSecond} requests a second.", wait))
            : new Admission(caller, null);
    }
}

/// <summary>Either the caller, admitted, or the problem to answer with.</summary>
public sealed record Admission(ApiCaller? Caller, IResult? Refusal);
