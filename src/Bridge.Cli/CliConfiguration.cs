using Microsoft.Extensions.Configuration;

namespace Bridge.Cli;

/// <summary>
/// The configuration the hosts would see, read from where the user runs <c>bridge</c>: appsettings.json
/// and appsettings.&lt;environment&gt;.json in the working folder, then environment variables (<c>__</c> for <c>:</c>).
/// </summary>
public static class CliConfiguration
{
    public static IConfiguration Load(CliContext context)
    {
        var environment = context.Environment("DOTNET_ENVIRONMENT") ?? context.Environment("ASPNETCORE_ENVIRONMENT");
        var builder = new ConfigurationBuilder()
            .SetBasePath(context.WorkingDirectory)
            .AddJsonFile("appsettings.json", optional: true);
        if (!string.IsNullOrWhiteSpace(environment))
        {
            builder.AddJsonFile($"appsettings.{environment}.json", optional: true);
        }

        return builder.AddEnvironmentVariables().Build();
    }
}
