using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat;

/// <summary>
/// An answer in a drop-in API's own shape: a status, its headers, and a JSON body (or none, as SendGrid's 202).
/// The body types name their JSON properties themselves, as each API spells them.
/// </summary>
public sealed class CompatAnswer(int status, object? body, params (string Name, string? Value)[] headers) : IResult
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            if (value is not null)
            {
                httpContext.Response.Headers[name] = value;
            }
        }

        if (body is not null)
        {
            await httpContext.Response.WriteAsJsonAsync(body, body.GetType(), Json, contentType: "application/json; charset=utf-8",
                httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
