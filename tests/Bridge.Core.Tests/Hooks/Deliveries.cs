using System.Text;
using Bridge.Core.Hooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Bridge.Core.Tests.Hooks;

/// <summary>Deliveries as a platform would post them: a body and some headers (or query parameters).</summary>
internal static class Deliveries
{
    public static readonly DateTimeOffset Now = new(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);

    public static HookDelivery With(string body, params (string Name, string Value)[] headers) =>
        new(new HeaderDictionary(headers.ToDictionary(h => h.Name, h => new StringValues(h.Value))), new QueryCollection(), Encoding.UTF8.GetBytes(body));

    public static HookDelivery WithQuery(string body, string name, string value) =>
        new(new HeaderDictionary(), new QueryCollection(new Dictionary<string, StringValues> { [name] = value }), Encoding.UTF8.GetBytes(body));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
