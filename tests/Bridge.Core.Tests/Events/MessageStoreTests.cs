using Azure.Data.Tables;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Bridge.Testing;

namespace Bridge.Core.Tests.Events;

/// <summary>
/// The messages table against real storage (Azurite): what a state never written means, and the
/// attempt event held in the state row until the outcome writes it out.
/// </summary>
public sealed class MessageStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AcceptedAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private Azurite azurite = null!;
    private MessageStore store = null!;
    private TableClient table = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        var storage = azurite.Clients();
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.MessagesTable);
        table = storage.Tables.GetTableClient(StorageNames.MessagesTable);
        store = new MessageStore(storage);
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task A_message_just_accepted_is_queued_without_a_state_row()
    {
        var id = await CreateAsync();

        var state = await store.GetStateAsync(id, CancellationToken.None);

        Assert.Equal(MessageStatus.Queued, state!.Status);
        Assert.Equal(AcceptedAt, state.UpdatedAt);
        Assert.Equal(default, state.ETag);
        Assert.Equal(["message:" + id], await RowKeysAsync(id));
        var timeline = await store.GetTimelineAsync(id, CancellationToken.None);
        Assert.Equal([MessageEventType.Accepted], timeline!.Events.Select(e => e.Type));
        Assert.Equal(MessageStatus.Queued, timeline.Message.State.Status);
    }

    [Fact]
    public async Task An_unknown_message_has_no_state_and_no_timeline()
    {
        Assert.Null(await store.GetStateAsync(MessageId.New(), CancellationToken.None));
        Assert.Null(await store.GetTimelineAsync(MessageId.New(), CancellationToken.None));
    }

    [Fact]
    public async Task A_held_attempt_shows_in_the_timeline_and_is_written_out_with_the_outcome()
    {
        var id = await CreateAsync();
        var sending = await store.HoldAsync(Sending(attempt: 1, DeliveryState.Accepted(id, AcceptedAt)), Attempt(1), CancellationToken.None);

        Assert.Equal(["message:" + id, "state:" + id], await RowKeysAsync(id));
        var running = await store.GetTimelineAsync(id, CancellationToken.None);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Attempt], running!.Events.Select(e => e.Type));
        Assert.Equal(MessageStatus.Sending, running.Message.State.Status);

        await store.UpdateAsync(sending with { Status = MessageStatus.Sent },
            [new MessageEvent(MessageEventType.Sent, AcceptedAt.AddSeconds(2), new SmtpReply(250, "2.0.0 Ok"), Attempt: 1)],
            CancellationToken.None);

        Assert.Equal(["event-000000:" + id, "event-000001:" + id, "message:" + id, "state:" + id], await RowKeysAsync(id));
        var state = await table.GetEntityAsync<TableEntity>(id, "state:" + id);
        Assert.DoesNotContain(state.Value.Keys, k => k.StartsWith("Held", StringComparison.Ordinal));
        var done = await store.GetTimelineAsync(id, CancellationToken.None);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Attempt, MessageEventType.Sent], done!.Events.Select(e => e.Type));
        Assert.Equal(Attempt(1), done.Events[1]);
        Assert.Equal(2, done.Message.State.EventCount);
        Assert.Null(done.Message.State.HeldEvent);
    }

    [Fact]
    public async Task An_attempt_after_one_that_never_finished_writes_the_first_attempt_out()
    {
        var id = await CreateAsync();
        await store.HoldAsync(Sending(attempt: 1, DeliveryState.Accepted(id, AcceptedAt)), Attempt(1), CancellationToken.None);

        // The worker died mid-send: the next copy reads the state, still holding attempt 1, and starts attempt 2.
        var stale = (await store.GetStateAsync(id, CancellationToken.None))!;
        Assert.Equal(Attempt(1), stale.HeldEvent);
        await store.HoldAsync(Sending(attempt: 2, stale), Attempt(2), CancellationToken.None);

        var timeline = await store.GetTimelineAsync(id, CancellationToken.None);
        Assert.Equal([null, 1, 2], timeline!.Events.Select(e => e.Attempt));
        Assert.Equal(1, timeline.Message.State.EventCount);
        Assert.Contains("event-000000:" + id, await RowKeysAsync(id));
    }

    [Fact]
    public async Task Only_one_of_two_copies_creates_the_state_row()
    {
        var id = await CreateAsync();
        var presumed = DeliveryState.Accepted(id, AcceptedAt);
        await store.HoldAsync(Sending(attempt: 1, presumed), Attempt(1), CancellationToken.None);

        await Assert.ThrowsAsync<MessageConcurrencyException>(() =>
            store.HoldAsync(Sending(attempt: 1, presumed), Attempt(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_state_changed_since_it_was_read_is_not_overwritten()
    {
        var id = await CreateAsync();
        var first = await store.HoldAsync(Sending(attempt: 1, DeliveryState.Accepted(id, AcceptedAt)), Attempt(1), CancellationToken.None);
        await store.UpdateAsync(first with { Status = MessageStatus.Sent }, [], CancellationToken.None);

        await Assert.ThrowsAsync<MessageConcurrencyException>(() =>
            store.UpdateAsync(first with { Status = MessageStatus.Failed }, [], CancellationToken.None));
        Assert.Equal(MessageStatus.Sent, (await store.GetStateAsync(id, CancellationToken.None))!.Status);
    }

    private async Task<string> CreateAsync()
    {
        var id = MessageId.New();
        await store.CreateAsync(new MessageRecord
        {
            Owner = "app", CreatedAt = AcceptedAt, From = "orders@shop.example", To = ["ann@example.org"], Subject = "s", Profile = "default",
            State = DeliveryState.Accepted(id, AcceptedAt),
        }, CancellationToken.None);
        return id;
    }

    private static DeliveryState Sending(int attempt, DeliveryState read) =>
        read with { Status = MessageStatus.Sending, Attempts = attempt, UpdatedAt = AcceptedAt.AddSeconds(attempt) };

    private static MessageEvent Attempt(int attempt) => new(MessageEventType.Attempt, AcceptedAt.AddSeconds(attempt), Attempt: attempt);

    private async Task<List<string>> RowKeysAsync(string id) =>
        await table.QueryAsync<TableEntity>(e => e.PartitionKey == id).Select(e => e.RowKey).OrderBy(k => k, StringComparer.Ordinal).ToListAsync();
}
