using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Bridge.Server;

/// <summary>
/// Sets the visibility timeout of the queue listener's dequeues (Get Messages) to <c>Bridge:Queue:ListenerLease</c>.
/// WebJobs fixes it at 10 minutes with no setting, so a message held by a process that died waits that long before
/// any copy sees it again. Renewals and releases (Update Message) are left as the listener makes them.
/// </summary>
internal sealed partial class ListenerLeasePolicy(TimeSpan lease) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var uri = message.Request.Uri;
        if (message.Request.Method == RequestMethod.Get && uri.Path.EndsWith("/messages", StringComparison.Ordinal)
            && VisibilityTimeout().IsMatch(uri.Query))
        {
            uri.Query = VisibilityTimeout().Replace(uri.Query, "visibilitytimeout=" + ((int)lease.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex("visibilitytimeout=[0-9]+", RegexOptions.IgnoreCase)]
    private static partial Regex VisibilityTimeout();
}
