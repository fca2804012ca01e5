namespace Bridge.Server;

/// <summary>Serves on the Functions host's port by default, so the same URLs work with either host.</summary>
public static class DefaultUrl
{
    public const string Value = "http://localhost:7071";

    public static WebApplicationBuilder UseBridgeDefaultUrl(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["http_ports"] ?? builder.Configuration["https_ports"];
        if (string.IsNullOrEmpty(configured))
        {
            builder.WebHost.UseUrls(Value);
        }

        return builder;
    }
}
