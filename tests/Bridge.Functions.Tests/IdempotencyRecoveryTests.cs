using Azure;
using Azure.Data.Tables;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

/// <summary>
/// A request that dies after claiming its idempotency key leaves the claim pending; once it is stale, a
/// retry with the same key takes it over. What the retry does depends on how far the dead request got.
/// The tests take queue messages away, so the class has a fixture of its own, not the shared one.
/// </summary>
public sealed class IdempotencyRecoveryTests(FunctionsFixture fixture) : IClassFixture<FunctionsFixture>
{
    [Fact]
    public async Task A_retry_after_a_request_died_between_its_record_and_its_queue_message_queues_it_and_it_is_sent_once()
    {
        var (key, subject) = NewRequest();
        var id = await PostAsync(key, subject);
        await fixture.TakeQueuedAsync(id); // The record landed; the queue message did not.
        await MakeClaimStaleAsync(id);

        Assert.Equal(id, await PostAsync(key, subject));

        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);
        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        Assert.Single(fixture.Smtp.Received, m => m.Parse().Subject == subject);
        var timeline = await Store.GetTimelineAsync(id, CancellationToken.None);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Attempt, MessageEventType.Sent], timeline!.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task A_retry_after_a_request_died_with_both_writes_done_sends_the_message_once()
    {
        var (key, subject) = NewRequest();
        var id = await PostAsync(key, subject);
        await MakeClaimStaleAsync(id);

        Assert.Equal(id, await PostAsync(key, subject));

        // Two copies on the queue now: the first to run sends, the second finds the message taken.
        var copies = await fixture.TakeAllQueuedAsync(id);
        Assert.Equal(2, copies.Count);
        foreach (var copy in copies)
        {
            await fixture.Function<DeliverMessageFunction>().Run(copy, CancellationToken.None);
        }

        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        Assert.Single(fixture.Smtp.Received, m => m.Parse().Subject == subject);
        Assert.Equal(MessageStatus.Sent, (await Store.GetStateAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_retry_after_a_request_died_once_delivery_began_answers_with_its_message_and_queues_nothing()
    {
        var (key, subject) = NewRequest();
        var id = await PostAsync(key, subject);
        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);
        await MakeClaimStaleAsync(id);

        Assert.Equal(id, await PostAsync(key, subject));

        Assert.Empty(await fixture.TakeAllQueuedAsync(id));
        Assert.Single(fixture.Smtp.Received, m => m.Parse().Subject == subject);
        Assert.Equal("done", (await ClaimOfAsync(id)).GetString("State"));
    }

    [Fact]
    public async Task A_retry_of_a_request_answered_503_whose_key_was_not_released_gets_a_new_message()
    {
        var (key, subject) = NewRequest();
        var id = await PostAsync(key, subject);
        await fixture.TakeQueuedAsync(id);
        // What accept does when only one of its writes lands: the record is marked failed and the client gets 503.
        var accepted = (await Store.GetStateAsync(id, CancellationToken.None))!;
        await Store.UpdateAsync(accepted with { Status = MessageStatus.Failed },
            [new MessageEvent(MessageEventType.Failed, DateTimeOffset.UtcNow, Detail: "Could not be stored; the client was told to retry.")],
            CancellationToken.None);
        await MakeClaimStaleAsync(id);

        var retried = await PostAsync(key, subject);

        Assert.NotEqual(id, retried);
        Assert.Single(await fixture.TakeAllQueuedAsync(retried));
        Assert.Equal(MessageStatus.Failed, (await Store.GetStateAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(MessageStatus.Queued, (await Store.GetStateAsync(retried, CancellationToken.None))!.Status);
    }

    private MessageStore Store => fixture.Services.GetRequiredService<MessageStore>();

    private TableClient Claims => fixture.Storage.Tables.GetTableClient(StorageNames.IdempotencyTable);

    private static (string Key, string Subject) NewRequest() => ("order-" + Guid.NewGuid(), "recovery-" + Guid.NewGuid());

    private Task<string> PostAsync(string key, string subject) =>
        fixture.AcceptAsync(Messages.Valid(subject: subject), idempotencyKey: key);

    private async Task<TableEntity> ClaimOfAsync(string messageId) =>
        await Claims.QueryAsync<TableEntity>(e => e.GetString("MessageId") == messageId).SingleAsync();

    /// <summary>What a request that died after claiming leaves: a pending claim, older than <see cref="IdempotencyStore.StaleAfter"/>.</summary>
    private async Task MakeClaimStaleAsync(string messageId)
    {
        var claim = await ClaimOfAsync(messageId);
        claim["State"] = "pending";
        claim["CreatedAt"] = DateTimeOffset.UtcNow - IdempotencyStore.StaleAfter - TimeSpan.FromMinutes(1);
        await Claims.UpdateEntityAsync(claim, ETag.All, TableUpdateMode.Replace);
    }
}
