using Azure.Storage.Queues;
using Bridge.Core.Outbox;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>The outbound queue of a server that has storage of its own.</summary>
internal static class OutboundQueue
{
    /// <summary>
    /// Waits (bounded) until the queue holds nothing: every copy handed over has been handled and deleted. The count
    /// includes messages hidden (scheduled, or being handled), and a copy put back (to wait for a lease) is queued
    /// before its original is deleted, so zero means nothing is left to come. Only for storage no other server shares.
    /// </summary>
    public static async Task WaitUntilEmptyAsync(Azurite azurite, TimeSpan timeout)
    {
        var queue = new QueueClient(azurite.ConnectionString, QueueOptions.DefaultName);
        var deadline = DateTime.UtcNow + timeout;
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"copies still queued after {timeout}");
            await Task.Delay(100);
        }
    }
}
