using Microsoft.Azure.WebJobs.Host;

namespace Bridge.Server;

/// <summary>
/// Reads the queue settings from the same host.json the Functions host uses, so batching, retries
/// and poison handling behave alike in both hosts. As in Functions, an app setting
/// <c>AzureFunctionsJobHost__extensions__queues__&lt;name&gt;</c> overrides the file.
/// </summary>
public static class HostJson
{
    public const string FileName = "host.json";
    private const string QueuesSection = "extensions:queues";
    private const string OverridePrefix = "AzureFunctionsJobHost";

    public static Action<QueuesOptions> BindQueueOptions(IConfiguration configuration, string contentRoot)
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
        {
            path = Path.Combine(contentRoot, FileName);
        }

        var file = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build().GetSection(QueuesSection);
        var overrides = configuration.GetSection($"{OverridePrefix}:{QueuesSection}");
        return options =>
        {
            file.Bind(options);
            overrides.Bind(options);
        };
    }
}
