using System.Net.Sockets;
using Azure;
using Bridge.Core.Storage;

namespace Bridge.Core.Tests.Storage;

/// <summary>Which failures are an outage (503, send again later) and which are a request storage refused (a bug or a 4xx of its own).</summary>
public sealed class StorageOutageTests
{
    public static TheoryData<Exception, bool> Cases => new()
    {
        { new RequestFailedException("Connection refused", new HttpRequestException("Connection refused")), true },
        { new RequestFailedException(503, "Server busy"), true },
        { new RequestFailedException(500, "Operation could not be completed within the specified time"), true },
        { new AggregateException("Retry failed after 4 tries.", new RequestFailedException(503, "busy"), new RequestFailedException("refused", new SocketException())), true },
        { new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), true },
        { new IOException("reset", new SocketException((int)SocketError.ConnectionReset)), true },
        { new TimeoutException(), true },
        { new RequestFailedException(404, "The specified queue does not exist.", "QueueNotFound", null), false },
        { new RequestFailedException(409, "Conflict"), false },
        { new RequestFailedException(403, "AuthorizationFailure"), false },
        { new AggregateException(new RequestFailedException(503, "busy"), new InvalidOperationException("bug")), false },
        { new AggregateException(), false },
        { new InvalidOperationException("a bug"), false },
        { new IOException("disk full"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outage_or_not(Exception error, bool outage) => Assert.Equal(outage, StorageOutage.Is(error));
}
