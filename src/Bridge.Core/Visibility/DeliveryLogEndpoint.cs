using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Visibility;

/// <summary>
/// <c>GET /api/ui</c> (and <c>GET /</c> on Bridge.Server): the delivery log page, one static HTML file built
/// into this assembly, so it needs no CDN and no build step. The page asks for a key and calls the API
/// itself; the response carries no data. Its content security policy allows only the page's own inline
/// script and style (by hash) and calls to this origin, and forbids form submissions, so a typed key can
/// never end up in a URL.
/// </summary>
public sealed partial class DeliveryLogEndpoint
{
    private const string ResourceName = "Bridge.Core.Visibility.delivery-log.html";

    private readonly byte[] page;
    private readonly string policy;

    public DeliveryLogEndpoint()
    {
        using var stream = typeof(DeliveryLogEndpoint).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"The delivery log page ({ResourceName}) is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var html = reader.ReadToEnd();
        page = Encoding.UTF8.GetBytes(html);
        policy = "default-src 'none'; "
                 + $"script-src {Hashes(ScriptPattern(), html)}; style-src {Hashes(StylePattern(), html)}; "
                 + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    public IResult Handle() => new PageResult(page, policy);

    private static string Hashes(Regex pattern, string html) => string.Join(' ', pattern.Matches(html)
        .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'"));

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptPattern();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StylePattern();

    private sealed class PageResult(byte[] page, string policy) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = policy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers.CacheControl = "no-store";
            response.ContentLength = page.Length;
            await response.Body.WriteAsync(page, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
