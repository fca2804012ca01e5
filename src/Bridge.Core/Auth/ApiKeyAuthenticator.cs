using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Auth;

/// <summary>
/// Finds the key behind a request (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>, or a header of a drop-in
/// API's own, such as Postmark's <c>X-Postmark-Server-Token</c>, on that API's routes). Keys are kept
/// only as SHA-256 hashes; every configured hash is compared in constant time, so timing does not
/// tell which key (if any) came close.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly IReadOnlyList<(byte[] Hash, ApiCaller Caller)> keys;

    public ApiKeyAuthenticator(IOptions<ApiKeyOptions> options)
    {
        keys = options.Value
            .Select(pair => (
                Convert.FromHexString(pair.Value.Sha256),
                new ApiCaller(
                    pair.Key,
                    ConfigList.Split(pair.Value.Scopes).ToHashSet(StringComparer.OrdinalIgnoreCase),
                    ConfigList.Split(pair.Value.Profiles),
                    ConfigList.Split(pair.Value.AllowedFrom),
                    pair.Value.RequestsPerSecond,
                    pair.Value.MessagesPerDay)))
            .ToList();
    }

    /// <summary>The caller whose key the request presents, or null. <paramref name="ownHeader"/>, when given, is read first.</summary>
    public ApiCaller? Authenticate(HttpRequest request, string? ownHeader = null)
    {
        var presented = ownHeader is not null && request.Headers.TryGetValue(ownHeader, out var own) && own.Count == 1
            ? own[0]?.Trim()
            : PresentedKey(request);
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiCaller? match = null;
        foreach (var (expected, caller) in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = caller;
            }
        }

        return match;
    }

    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiKeyHeader, out var apiKey) && apiKey.Count == 1)
        {
            return apiKey[0]?.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[bearer.Length..].Trim()
            : null;
    }
}
