using Microsoft.Azure.WebJobs.Host;

namespace Bridge.Server;

/// <summary>
/// Reads the queue settings from the same host.json the Functions host uses, so batching, retries
/// and poison handling behave alike in both hosts.
/// </summary>
public static class HostJson
{
    public const string FileName = "host.json";

    public static Action<QueuesOptions> BindQueueOptions(string contentRoot)
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
        {
            path = Path.Combine(contentRoot, FileName);
        }

        var section = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build().GetSection("extensions:queues");
        return options => section.Bind(options);
    }
}
