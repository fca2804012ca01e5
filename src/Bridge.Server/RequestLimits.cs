using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http.Features;

namespace Bridge.Server;

/// <summary>
/// Lets Bridge's own limits (each answers 413 as problem+json) speak first: Kestrel's limit sits just above them,
/// as a backstop for anything that would read a body without that check. A multipart upload may be larger than a
/// JSON body, so the server-wide limit follows the larger of the two, and every other request is held to the JSON
/// limit on its own: after Bridge refuses an oversized JSON body, Kestrel stops the client there rather than
/// reading on to the upload limit.
/// </summary>
public static class RequestLimits
{
    /// <summary>What Kestrel allows above Bridge's own limit: room for the framing Bridge does not count.</summary>
    private const long Backstop = 64 * 1024;

    public static WebApplicationBuilder UseBridgeRequestLimits(this WebApplicationBuilder builder)
    {
        var limits = Limits(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MaxRequestBytes, limits.MaxUploadBytes) + Backstop);
        return builder;
    }

    /// <summary>Holds a request that is not a multipart upload to the JSON body's limit.</summary>
    public static WebApplication UseBridgeRequestLimits(this WebApplication app)
    {
        var jsonLimit = Limits(app.Configuration).MaxRequestBytes + Backstop;
        app.Use((context, next) =>
        {
            if (!MultipartSendBody.IsMultipart(context.Request)
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = jsonLimit;
            }

            return next(context);
        });
        return app;
    }

    private static MessageLimits Limits(IConfiguration configuration) =>
        configuration.GetSection(MessageLimits.SectionName).Get<MessageLimits>() ?? new MessageLimits();
}
