using System.Text;
using System.Text.Json;
using Bridge.Core.Doctor;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Core.Tests.Doctor;

/// <summary><c>POST /api/v1/smtp/diagnose</c> through the endpoint class with a <see cref="DefaultHttpContext"/>: status, JSON body and raw text.</summary>
internal static class DiagnoseCall
{
    public static async Task<(int Status, JsonElement Body, string Text)> PostAsync(DiagnoseEndpoint endpoint, string? key, string body)
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        if (key is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + key;
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        context.Response.Body = new MemoryStream();

        var result = await endpoint.HandleAsync(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), text);
    }
}
