using Azure.Data.Tables;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Bridge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Core.Tests.Events;

/// <summary>
/// The messages table against real storage (Azurite): a message is queued until its first change
/// creates its state row, which only one writer can do, and only beside the message's record.
/// </summary>
public sealed class MessageStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AcceptedAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private Azurite azurite = null!;
    private MessageStore store = null!;
    private TableClient table = null!;
    private TableClient indexTable = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        var storage = azurite.Clients();
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.MessagesTable);
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.MessageIndexTable);
        table = storage.Tables.GetTableClient(StorageNames.MessagesTable);
        indexTable = storage.Tables.GetTableClient(StorageNames.MessageIndexTable);
        store = new MessageStore(storage, new MessageIndex(storage), NullLogger<MessageStore>.Instance);
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
    public async Task The_first_change_creates_the_state_row_with_its_events_and_the_next_replaces_it()
    {
        var id = await CreateAsync();
        var sending = await store.UpdateAsync(Sending(DeliveryState.Accepted(id, AcceptedAt)), [Attempt(1)], CancellationToken.None);

        Assert.Equal(["event-000000:" + id, "message:" + id, "state:" + id], await RowKeysAsync(id));
        await store.UpdateAsync(sending with { Status = MessageStatus.Sent },
            [new MessageEvent(MessageEventType.Sent, AcceptedAt.AddSeconds(2), new SmtpReply(250, "2.0.0 Ok"), Attempt: 1)],
            CancellationToken.None);

        var timeline = await store.GetTimelineAsync(id, CancellationToken.None);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Attempt, MessageEventType.Sent], timeline!.Events.Select(e => e.Type));
        Assert.Equal(MessageStatus.Sent, timeline.Message.State.Status);
        Assert.Equal(2, timeline.Message.State.EventCount);
        Assert.Equal("Shop", (await table.GetEntityAsync<TableEntity>(id, "message:" + id)).Value.GetString("Subject"));
    }

    [Fact]
    public async Task The_index_row_follows_each_change_of_status_even_when_delivery_starts_before_it_is_written()
    {
        var id = MessageId.New();

        // The worker's claim lands first (it knows owner and time from the envelope); accept's index write comes after.
        var record = Record(id);
        await table.AddEntityAsync(new TableEntity(id, "message:" + id) { ["Owner"] = "app", ["CreatedAt"] = AcceptedAt });
        var sending = await store.UpdateAsync(Sending(DeliveryState.Accepted(id, AcceptedAt, "app")), [Attempt(1)], CancellationToken.None);
        await store.UpdateAsync(sending with { Status = MessageStatus.Deferred }, [], CancellationToken.None);
        Assert.Equal("deferred", (await IndexRowAsync(id)).GetString("Status"));
        await store.CreateAsync(record, CancellationToken.None);
        Assert.Equal("deferred", (await IndexRowAsync(id)).GetString("Status"));
        Assert.Equal("Shop", (await IndexRowAsync(id)).GetString("Subject"));

        // Sending is not told to the index (it lasts seconds); the outcome is, from a state read back from storage.
        var read = await store.GetStateAsync(id, CancellationToken.None);
        Assert.Equal("app", read!.Owner);
        await store.UpdateAsync(Sending(read), [], CancellationToken.None);
        Assert.Equal("deferred", (await IndexRowAsync(id)).GetString("Status"));
        var again = await store.GetStateAsync(id, CancellationToken.None);
        await store.UpdateAsync(again! with { Status = MessageStatus.Sent }, [], CancellationToken.None);

        Assert.Equal("sent", (await IndexRowAsync(id)).GetString("Status"));
    }

    [Fact]
    public async Task Only_one_of_two_copies_creates_the_state_row()
    {
        var id = await CreateAsync();
        var presumed = DeliveryState.Accepted(id, AcceptedAt);
        await store.UpdateAsync(Sending(presumed), [Attempt(1)], CancellationToken.None);

        await Assert.ThrowsAsync<MessageConcurrencyException>(() => store.UpdateAsync(Sending(presumed), [Attempt(1)], CancellationToken.None));
        Assert.Single((await store.GetTimelineAsync(id, CancellationToken.None))!.Events, e => e.Type == MessageEventType.Attempt);
    }

    [Fact]
    public async Task No_state_is_created_for_a_message_without_a_record()
    {
        var id = MessageId.New();

        var refused = await Assert.ThrowsAsync<MessageNotRecordedException>(() =>
            store.UpdateAsync(Sending(DeliveryState.Accepted(id, AcceptedAt)), [Attempt(1)], CancellationToken.None));

        Assert.Equal(id, refused.MessageId);
        Assert.Empty(await RowKeysAsync(id));
    }

    [Fact]
    public async Task A_state_changed_since_it_was_read_is_not_overwritten()
    {
        var id = await CreateAsync();
        var first = await store.UpdateAsync(Sending(DeliveryState.Accepted(id, AcceptedAt)), [Attempt(1)], CancellationToken.None);
        await store.UpdateAsync(first with { Status = MessageStatus.Sent }, [], CancellationToken.None);

        await Assert.ThrowsAsync<MessageConcurrencyException>(() =>
            store.UpdateAsync(first with { Status = MessageStatus.Failed }, [], CancellationToken.None));
        Assert.Equal(MessageStatus.Sent, (await store.GetStateAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Metadata_is_stored_with_the_facts_and_a_record_written_without_it_reads_as_none()
    {
        var id = MessageId.New();
        var metadata = new Dictionary<string, string> { ["orderId"] = "42", ["customer"] = "Zoë \"Z\" <z@example.org>" };
        await store.CreateAsync(Record(id) with { Metadata = metadata }, CancellationToken.None);
        var plain = await CreateAsync();
        // As an older version wrote it: no Metadata property at all.
        var old = MessageId.New();
        await table.AddEntityAsync(new TableEntity(old, "message:" + old)
        {
            ["Owner"] = "app", ["CreatedAt"] = AcceptedAt, ["From"] = "orders@shop.example", ["To"] = "[\"ann@example.org\"]",
            ["Subject"] = "Old", ["Profile"] = "default", ["Tags"] = "[]",
        });

        Assert.Equal(metadata, (await store.GetTimelineAsync(id, CancellationToken.None))!.Message.Metadata);
        Assert.Equal(metadata, (await store.GetFactsAsync(id, CancellationToken.None))!.Metadata);
        Assert.Empty((await store.GetTimelineAsync(plain, CancellationToken.None))!.Message.Metadata);
        Assert.False((await table.GetEntityAsync<TableEntity>(plain, "message:" + plain)).Value.ContainsKey("Metadata"));
        Assert.Empty((await store.GetTimelineAsync(old, CancellationToken.None))!.Message.Metadata);
        Assert.Empty((await store.GetFactsAsync(old, CancellationToken.None))!.Metadata);
    }

    private async Task<string> CreateAsync()
    {
        var id = MessageId.New();
        await store.CreateAsync(Record(id), CancellationToken.None);
        return id;
    }

    private static MessageRecord Record(string id) => new()
    {
        Owner = "app", CreatedAt = AcceptedAt, From = "orders@shop.example", To = ["ann@example.org"], Subject = "Shop", Profile = "default",
        State = DeliveryState.Accepted(id, AcceptedAt, "app"),
    };

    private async Task<TableEntity> IndexRowAsync(string id) =>
        (await indexTable.GetEntityAsync<TableEntity>("app", MessageIndex.RowKey(AcceptedAt, id))).Value;

    private static DeliveryState Sending(DeliveryState read) =>
        read with { Status = MessageStatus.Sending, Attempts = 1, UpdatedAt = AcceptedAt.AddSeconds(1) };

    private static MessageEvent Attempt(int attempt) => new(MessageEventType.Attempt, AcceptedAt.AddSeconds(attempt), Attempt: attempt);

    private async Task<List<string>> RowKeysAsync(string id) =>
        await table.QueryAsync<TableEntity>(e => e.PartitionKey == id).Select(e => e.RowKey).OrderBy(k => k, StringComparer.Ordinal).ToListAsync();
}
