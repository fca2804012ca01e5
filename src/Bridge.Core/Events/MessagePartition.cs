namespace Bridge.Core.Events;

/// <summary>
/// Which Table storage partition holds a message's rows. A message sent alone has its own partition (its id). The
/// messages of one batch share one, named by the first 28 digits of their ids, so that their records can be written
/// with a few table transactions (Table storage groups writes only within a partition) instead of one write each.
/// A batch item's id carries <see cref="BatchMarker"/> where a version 7 GUID has its version digit, so the
/// partition is known from the id alone, with nothing to look up.
/// </summary>
public static class MessagePartition
{
    /// <summary>Where a version 7 GUID (in "N" form) has its version digit.</summary>
    public const int MarkerPosition = 12;

    /// <summary>Stands in place of the version digit (7) in the ids of batch items.</summary>
    public const char BatchMarker = 'b';

    /// <summary>How many leading digits of a batch item's id name its partition; the rest number the item.</summary>
    public const int BatchPrefixLength = 28;

    public static string Of(string id) => IsBatchItem(id) ? id[..BatchPrefixLength] : id;

    public static bool IsBatchItem(string id) => id.Length == 32 && id[MarkerPosition] == BatchMarker;
}
