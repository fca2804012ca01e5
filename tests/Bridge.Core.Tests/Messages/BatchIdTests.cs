using Bridge.Core.Events;
using Bridge.Core.Messages;

namespace Bridge.Core.Tests.Messages;

/// <summary>Batch item ids: derived from the batch's id, well formed, sharing one table partition that single messages never use.</summary>
public sealed class BatchIdTests
{
    [Fact]
    public void Items_of_a_batch_share_a_partition_and_keep_distinct_well_formed_ids()
    {
        var batch = MessageId.New();

        var ids = Enumerable.Range(0, 500).Select(i => MessageId.ForBatchItem(batch, i)).ToList();

        Assert.All(ids, id => Assert.True(MessageId.IsWellFormed(id), id));
        Assert.Equal(500, ids.Distinct().Count());
        Assert.Single(ids.Select(MessagePartition.Of).Distinct());
        Assert.Equal(ids, Enumerable.Range(0, 500).Select(i => MessageId.ForBatchItem(batch, i)));
    }

    [Fact]
    public void A_single_message_is_its_own_partition_and_batches_do_not_share()
    {
        var single = MessageId.New();

        Assert.Equal(single, MessagePartition.Of(single));
        Assert.False(MessagePartition.IsBatchItem(single));
        Assert.NotEqual(MessagePartition.Of(MessageId.ForBatchItem(MessageId.New(), 0)), MessagePartition.Of(MessageId.ForBatchItem(MessageId.New(), 0)));
    }
}
