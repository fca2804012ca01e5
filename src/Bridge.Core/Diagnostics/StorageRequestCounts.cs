using System.Collections.Concurrent;

namespace Bridge.Core.Diagnostics;

/// <summary>Requests counted by service and operation (e.g. <c>table.batch</c>, <c>queue.POST</c>), thread-safe.</summary>
public sealed class StorageRequestCounts
{
    private readonly ConcurrentDictionary<string, Counter> counts = new(StringComparer.Ordinal);

    public void Add(string service, Uri uri, string method) =>
        Interlocked.Increment(ref counts.GetOrAdd(OperationName(service, uri, method), _ => new Counter()).Value);

    public long Total => counts.Values.Sum(c => Interlocked.Read(ref c.Value));

    public IReadOnlyDictionary<string, long> Snapshot() =>
        counts.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => Interlocked.Read(ref c.Value.Value));

    /// <summary>The HTTP method, except a table transaction, which is named for what it is rather than its POST.</summary>
    internal static string OperationName(string service, Uri uri, string method) =>
        service == StorageService.Table && uri.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal)
            ? $"{service}.batch"
            : $"{service}.{method}";

    private sealed class Counter
    {
        public long Value;
    }
}

/// <summary>The storage services, as named in the counters.</summary>
public static class StorageService
{
    public const string Queue = "queue";
    public const string Table = "table";
    public const string Blob = "blob";
    public const string Other = "other";
}
