using System.Globalization;
using Bridge.Core.Events;

namespace Bridge.Core.Messages;

/// <summary>Message ids: 32 lowercase hex digits of a version 7 GUID, so they sort by creation time.</summary>
public static class MessageId
{
    /// <summary>The most items one batch id can number: four hex digits follow the batch's prefix.</summary>
    public const int MaxBatchItems = 0x10000;

    public static string New() => Guid.CreateVersion7().ToString("N");

    public static bool IsWellFormed(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// The id of item <paramref name="index"/> of the batch that <paramref name="batchId"/> (a <see cref="New"/> id)
    /// names: the batch's first 28 digits, the version digit swapped for <see cref="MessagePartition.BatchMarker"/>,
    /// then the index. Derived, not drawn, so a batch retried under its idempotency key gets the same ids again.
    /// </summary>
    public static string ForBatchItem(string batchId, int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxBatchItems);
        var prefix = batchId[..MessagePartition.MarkerPosition] + MessagePartition.BatchMarker
                     + batchId[(MessagePartition.MarkerPosition + 1)..MessagePartition.BatchPrefixLength];
        return prefix + index.ToString("x4", CultureInfo.InvariantCulture);
    }
}
