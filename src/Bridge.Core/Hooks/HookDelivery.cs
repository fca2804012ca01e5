using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Hooks;

/// <summary>What a hook request brings: its headers, its query string and the exact body bytes a signature covers.</summary>
public sealed record HookDelivery(IHeaderDictionary Headers, IQueryCollection Query, byte[] Body)
{
    /// <summary>The header's value, or null when it is missing or sent more than once (a signature has one value).</summary>
    public string? Header(string name) => Single(Headers.TryGetValue(name, out var values) ? values : default);

    /// <summary>The query parameter's value, or null when it is missing or repeated.</summary>
    public string? QueryValue(string name) => Single(Query.TryGetValue(name, out var values) ? values : default);

    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
