using System.Net.Sockets;
using Azure;

namespace Bridge.Core.Storage;

/// <summary>
/// Whether an exception means storage could not be reached or could not serve (an outage), as opposed to a
/// request it refused. An outage is answered 503 with Retry-After: nothing was accepted, and the same request
/// sent again later can succeed.
/// </summary>
public static class StorageOutage
{
    /// <summary>How long a client is asked to wait before it sends again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    public static bool Is(Exception? error) => error switch
    {
        null => false,

        // The SDK gives up after its retries with every attempt's failure inside.
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(Is),

        // Status 0: no answer at all (refused, reset, timed out); 500 and 503: the service could not serve.
        RequestFailedException { Status: 0 or 500 or 503 } => true,
        HttpRequestException or SocketException or TimeoutException => true,
        IOException when error.InnerException is SocketException => true,
        _ => error.InnerException is not null && error is not RequestFailedException && Is(error.InnerException),
    };
}
