using Bridge.Core.Messages;

namespace Bridge.Server;

/// <summary>
/// Lets Bridge's own limits (JSON and multipart bodies; each answers 413 as problem+json) speak first: Kestrel's limit sits just
/// above it, as a backstop for anything that would read a body without that check.
/// </summary>
public static class RequestLimits
{
    public static WebApplicationBuilder UseBridgeRequestLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(MessageLimits.SectionName).Get<MessageLimits>() ?? new MessageLimits();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MaxRequestBytes, limits.MaxUploadBytes) + (64 * 1024));
        return builder;
    }
}
