using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Bridge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Events;

/// <summary>
/// Messages and their timelines in Table storage. A message's partition (its id) holds three kinds of
/// row: what was accepted (written once; it is also the timeline's <c>accepted</c> event), the
/// delivery state, and one row per later event. A state change and the events that explain it commit
/// together in one transaction, and one query reads the whole timeline back.
/// Accept writes only the facts: a message without a state row is queued. The first change creates the
/// state row, which only one writer can do and only beside its facts; later changes replace it under its
/// ETag. So the first attempt claims a message without reading anything, and accept need not wait for
/// its own write before it queues the message.
/// Each message also has a row in the <see cref="MessageIndex"/>, written beside its facts and told each
/// change of status, so messages can be listed without reading them all.
/// The rows of a batch's messages share one partition (<see cref="MessagePartition"/>), so a batch's facts are
/// written in transactions of up to <see cref="MaxEntitiesPerTransaction"/>; row keys name the message either way.
/// Side events (<see cref="AddSideEventAsync"/>, e.g. callback attempts) are rows of their own beside the timeline: they
/// never touch the state row, so they cannot race delivery's ETag-guarded changes, and the timeline merges them in by time.
/// Every committed change's events are handed to the <see cref="ITimelineObserver"/>s.
/// </summary>
public sealed partial class MessageStore(
    StorageClients storage, MessageIndex index, ILogger<MessageStore> logger, IEnumerable<ITimelineObserver>? observers = null)
{
    /// <summary>Table storage's limit on the entities of one transaction.</summary>
    public const int MaxEntitiesPerTransaction = 100;

    // Row keys repeat the message id although the partition already is the id: Azurite (the local
    // emulator) finds a row through its RowKey index and then scans every row with that key, so keys
    // shared by all messages made each lookup cost grow with the table. Azure is indifferent.
    private const string FactsRowPrefix = "message:";
    private const string StateRowPrefix = "state:";
    private const string EventRowPrefix = "event-";
    private const string EventRowsEnd = "event.";
    private const string SideEventRowPrefix = "event-side-";
    private const string CreatedAtColumn = "CreatedAt";
    private const string OwnerColumn = "Owner";
    private const string SendAtColumn = "SendAt";
    private const string MetadataColumn = "Metadata";

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.MessagesTable);

    /// <summary>
    /// Writes the facts of many messages, a table transaction for up to <see cref="MaxEntitiesPerTransaction"/> of
    /// them that share a partition. A group whose transaction was refused because some facts are there already (a
    /// retried batch) is written one by one. Returns, per message, the failure that kept it from being written.
    /// </summary>
    public async Task<Exception?[]> CreateManyAsync(IReadOnlyList<MessageRecord> messages, CancellationToken cancellationToken)
    {
        var failures = new Exception?[messages.Count];
        var groups = messages.Select((message, index) => (message, index))
            .GroupBy(m => MessagePartition.Of(m.message.Id))
            .SelectMany(partition => partition.Chunk(MaxEntitiesPerTransaction));
        await Parallel.ForEachAsync(groups, cancellationToken, async (group, token) =>
        {
            // The group's index rows go at the same time, in transactions of their own (one key's partition).
            var indexed = FailureOfAsync(index.AddManyAsync(group.Select(m => m.message).ToList(), token));
            try
            {
                await table.SubmitTransactionAsync(group.Select(m => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(m.message))),
                    token).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                foreach (var (message, index) in group)
                {
                    failures[index] = await FailureOfAsync(CreateAsync(message, token)).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException e)
            {
                foreach (var (_, index) in group)
                {
                    failures[index] = e;
                }
            }

            if (await indexed.ConfigureAwait(false) is { } notIndexed)
            {
                foreach (var (_, index) in group)
                {
                    failures[index] ??= notIndexed;
                }
            }
        }).ConfigureAwait(false);
        return failures;
    }

    private static async Task<Exception?> FailureOfAsync(Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
            return null;
        }
        catch (RequestFailedException e)
        {
            return e;
        }
    }

    /// <summary>
    /// Writes a new message: its facts, which stand for its <c>accepted</c> event and, until delivery first
    /// changes it, for its queued state too. Facts already there stand: they are this message's, written by a
    /// try whose answer was lost, or by a request that died and whose idempotent retry submits it again.
    /// </summary>
    public async Task CreateAsync(MessageRecord message, CancellationToken cancellationToken)
    {
        // The index row goes at the same time, so accept still waits for one round trip.
        var indexed = index.AddAsync(message, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(message), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Ids are random, so the row is this message's own; the facts never change once written.
        }
        finally
        {
            await indexed.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes <paramref name="state"/> and appends <paramref name="events"/>, all in one transaction, if nobody
    /// changed the state since it was read. A state never written (no ETag) is created, which fails if
    /// another writer created it first, or if the message itself is not recorded.
    /// </summary>
    /// <exception cref="MessageConcurrencyException">The state changed since it was read.</exception>
    /// <exception cref="MessageNotRecordedException">A state was to be created, but the message has no record.</exception>
    public async Task<DeliveryState> UpdateAsync(DeliveryState state, IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken)
    {
        var updated = state with { EventCount = state.EventCount + events.Count };
        var created = state.ETag == default;
        List<TableTransactionAction> actions = created
            ?
            [
                new(TableTransactionActionType.Add, ToEntity(updated)),
                // Changes nothing; it fails (404) unless the facts row is there.
                new(TableTransactionActionType.UpdateMerge, new TableEntity(MessagePartition.Of(state.Id), FactsRowPrefix + state.Id), ETag.All),
            ]
            : [new(TableTransactionActionType.UpdateReplace, ToEntity(updated), state.ETag)];
        actions.AddRange(events.Select((e, i) => new TableTransactionAction(
            TableTransactionActionType.Add, ToEntity(state.Id, state.EventCount + i, e))));
        DeliveryState written;
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            written = updated with { ETag = response.Value[0].Headers.ETag ?? default };
        }
        catch (TableTransactionFailedException e) when (created && e.Status == 404)
        {
            throw new MessageNotRecordedException(state.Id, e);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            throw new MessageConcurrencyException(state.Id, e);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409 or 404)
        {
            throw new MessageConcurrencyException(state.Id, e);
        }

        var indexed = await IndexStatusAsync(written).ConfigureAwait(false);
        if (events.Count > 0)
        {
            await NotifyAsync(indexed, events, cancellationToken).ConfigureAwait(false);
        }

        return indexed;
    }

    /// <summary>
    /// The change is committed by now: an observer that fails (its queue unreachable) is logged, never thrown, so the
    /// writer does not retry or undo a change that stands.
    /// </summary>
    private async Task NotifyAsync(DeliveryState state, IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken)
    {
        foreach (var observer in observers ?? [])
        {
            try
            {
                await observer.RecordedAsync(state, events, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogObserverFailed(logger, e, state.Id, observer.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Adds an event beside the timeline without changing the message's state (nor its ETag), under <paramref name="tag"/>,
    /// which makes the row's key: writing the same tag again (a redelivered queue message) keeps the first row.
    /// </summary>
    public async Task AddSideEventAsync(string id, string tag, MessageEvent sideEvent, CancellationToken cancellationToken)
    {
        var entity = EventEntity(id, $"{SideEventRowPrefix}{tag}:{id}", sideEvent);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Written already by an earlier copy of the same attempt.
        }
    }

    /// <summary>
    /// Tells the index a new status, except <c>sending</c>: an attempt's lease lasts seconds, and skipping it
    /// keeps the index at one write per outcome instead of two (the list shows the status before the attempt
    /// until its outcome lands; the message itself shows <c>sending</c>). The change itself is committed by now, so a failure here is logged, not
    /// thrown: the message is right, only its list entry shows the older status until the next change.
    /// </summary>
    private async Task<DeliveryState> IndexStatusAsync(DeliveryState state)
    {
        if (state.Status == state.IndexedStatus || state.Status == MessageStatus.Sending || state.Owner is not { } owner || state.CreatedAt is not { } createdAt)
        {
            return state;
        }

        try
        {
            await index.SetStatusAsync(owner, createdAt, state, CancellationToken.None).ConfigureAwait(false);
            return state with { IndexedStatus = state.Status };
        }
        catch (RequestFailedException e)
        {
            LogIndexNotUpdated(logger, e, state.Id, state.Status.ToWire());
            return state with { IndexedStatus = null };
        }
    }

    /// <summary>The message's delivery state, or null when there is no such message.</summary>
    public async Task<DeliveryState?> GetStateAsync(string id, CancellationToken cancellationToken)
    {
        var state = await table.GetEntityIfExistsAsync<TableEntity>(MessagePartition.Of(id), StateRowPrefix + id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (state.HasValue)
        {
            return StateFromEntity(state.Value!);
        }

        // No state row yet: queued, if the message exists at all.
        var facts = await table.GetEntityIfExistsAsync<TableEntity>(MessagePartition.Of(id), FactsRowPrefix + id, [CreatedAtColumn, OwnerColumn, SendAtColumn], cancellationToken)
            .ConfigureAwait(false);
        return facts.HasValue ? QueuedState(id, facts.Value!) : null;
    }

    /// <summary>
    /// What was accepted for the message (its recipients, subject, tags), by one point read; its state is left as accepted.
    /// Null when there is no such message.
    /// </summary>
    public async Task<MessageRecord?> GetFactsAsync(string id, CancellationToken cancellationToken)
    {
        var facts = await table.GetEntityIfExistsAsync<TableEntity>(MessagePartition.Of(id), FactsRowPrefix + id, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return facts.HasValue ? FromEntity(facts.Value!, QueuedState(id, facts.Value!)) : null;
    }

    public async Task<MessageTimeline?> GetTimelineAsync(string id, CancellationToken cancellationToken)
    {
        TableEntity? facts = null;
        DeliveryState? state = null;
        var events = new List<MessageEvent>();
        var sideEvents = new List<MessageEvent>();
        var partition = MessagePartition.Of(id);
        var eventSuffix = ":" + id;
        // A batch's partition holds its other messages too: ask only for this one's facts and state, and for events,
        // whose keys start with their sequence number and end with the message id (kept so for rows already stored).
        var filter = partition == id
            ? TableClient.CreateQueryFilter($"PartitionKey eq {id}")
            : TableClient.CreateQueryFilter(
                $"PartitionKey eq {partition} and (RowKey eq {FactsRowPrefix + id} or RowKey eq {StateRowPrefix + id} or (RowKey ge {EventRowPrefix} and RowKey lt {EventRowsEnd}))");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            switch (entity.RowKey)
            {
                case var key when key == FactsRowPrefix + id:
                    facts = entity;
                    break;
                case var key when key == StateRowPrefix + id:
                    state = StateFromEntity(entity);
                    break;
                case var key when key.StartsWith(SideEventRowPrefix, StringComparison.Ordinal) && key.EndsWith(eventSuffix, StringComparison.Ordinal):
                    sideEvents.Add(EventFromEntity(entity));
                    break;
                case var key when key.StartsWith(EventRowPrefix, StringComparison.Ordinal) && key.EndsWith(eventSuffix, StringComparison.Ordinal):
                    events.Add(EventFromEntity(entity));
                    break;
            }
        }

        if (facts is null)
        {
            return null;
        }

        var message = FromEntity(facts, state ?? QueuedState(id, facts));
        // A scheduled message's scheduled event is part of its facts: accept writes one row, whatever the request.
        MessageEvent[] accepted = message.SendAt is { } sendAt
            ? [new MessageEvent(MessageEventType.Accepted, message.CreatedAt),
               new MessageEvent(MessageEventType.Scheduled, message.CreatedAt, Detail: $"To be sent at {sendAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.")]
            : [new MessageEvent(MessageEventType.Accepted, message.CreatedAt)];
        return new MessageTimeline(message, MergeByTime([.. accepted, .. events], sideEvents));
    }

    /// <summary>Puts each side event after the last timeline event no later than it; the timeline's own order stands.</summary>
    private static List<MessageEvent> MergeByTime(List<MessageEvent> timeline, List<MessageEvent> sideEvents)
    {
        foreach (var sideEvent in sideEvents.OrderBy(e => e.At))
        {
            timeline.Insert(timeline.FindLastIndex(e => e.At <= sideEvent.At) + 1, sideEvent);
        }

        return timeline;
    }

    /// <summary>The state of a message no change has touched yet: queued, or scheduled when it was accepted for later.</summary>
    private static DeliveryState QueuedState(string id, TableEntity facts) =>
        DeliveryState.Accepted(id, facts.GetDateTimeOffset(CreatedAtColumn) ?? default, facts.GetString(OwnerColumn)) with
        {
            Status = facts.GetDateTimeOffset(SendAtColumn) is null ? MessageStatus.Queued : MessageStatus.Scheduled,
        };

    private static TableEntity ToEntity(MessageRecord m) => new(MessagePartition.Of(m.Id), FactsRowPrefix + m.Id)
    {
        [OwnerColumn] = m.Owner,
        [CreatedAtColumn] = m.CreatedAt,
        ["From"] = m.From,
        ["To"] = JsonSerializer.Serialize(m.To),
        ["Subject"] = m.Subject,
        ["Profile"] = m.Profile,
        ["Tags"] = JsonSerializer.Serialize(m.Tags),
        // Absent when empty, as on rows written before metadata was kept: both read back as none.
        [MetadataColumn] = m.Metadata.Count == 0 ? null : MessageMetadata.Serialize(m.Metadata),
        [SendAtColumn] = m.SendAt,
    };

    private static MessageRecord FromEntity(TableEntity e, DeliveryState state) => new()
    {
        Owner = e.GetString(OwnerColumn) ?? "",
        CreatedAt = e.GetDateTimeOffset(CreatedAtColumn) ?? default,
        From = e.GetString("From") ?? "",
        To = JsonSerializer.Deserialize<string[]>(e.GetString("To") ?? "[]") ?? [],
        Subject = e.GetString("Subject") ?? "",
        Profile = e.GetString("Profile") ?? "",
        Tags = JsonSerializer.Deserialize<string[]>(e.GetString("Tags") ?? "[]") ?? [],
        Metadata = MessageMetadata.Parse(e.GetString(MetadataColumn)),
        SendAt = e.GetDateTimeOffset(SendAtColumn),
        State = state,
    };

    private static TableEntity ToEntity(DeliveryState s) => new(MessagePartition.Of(s.Id), StateRowPrefix + s.Id)
    {
        ["Status"] = s.Status.ToWire(),
        ["UpdatedAt"] = s.UpdatedAt,
        ["Attempts"] = s.Attempts,
        ["LastReplyCode"] = s.LastReply?.Code,
        ["LastReply"] = s.LastReply?.Reply,
        ["NextAttemptAt"] = s.NextAttemptAt,
        ["LastError"] = s.LastError,
        ["LeaseUntil"] = s.LeaseUntil,
        ["PartiallySent"] = s.PartiallySent,
        ["EventCount"] = s.EventCount,
        [OwnerColumn] = s.Owner,
        [CreatedAtColumn] = s.CreatedAt,
    };

    private static DeliveryState StateFromEntity(TableEntity e) => new()
    {
        Id = e.RowKey[StateRowPrefix.Length..],
        Status = Enum.Parse<MessageStatus>(e.GetString("Status") ?? nameof(MessageStatus.Queued), ignoreCase: true),
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        Attempts = e.GetInt32("Attempts") ?? 0,
        LastReply = e.GetInt32("LastReplyCode") is { } code ? new SmtpReply(code, e.GetString("LastReply") ?? "") : null,
        NextAttemptAt = e.GetDateTimeOffset("NextAttemptAt"),
        LastError = e.GetString("LastError"),
        LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
        PartiallySent = e.GetBoolean("PartiallySent") ?? false,
        EventCount = e.GetInt32("EventCount") ?? 0,
        Owner = e.GetString(OwnerColumn),
        CreatedAt = e.GetDateTimeOffset(CreatedAtColumn),
        IndexedStatus = Enum.Parse<MessageStatus>(e.GetString("Status") ?? nameof(MessageStatus.Queued), ignoreCase: true),
        ETag = e.ETag,
    };

    private static TableEntity ToEntity(string id, int sequence, MessageEvent e) =>
        EventEntity(id, $"{EventRowPrefix}{sequence.ToString("D6", CultureInfo.InvariantCulture)}:{id}", e);

    private static TableEntity EventEntity(string id, string rowKey, MessageEvent e) =>
        new(MessagePartition.Of(id), rowKey)
        {
            ["Type"] = e.Type.ToWire(),
            ["At"] = e.At,
            ["SmtpCode"] = e.Smtp?.Code,
            ["SmtpReply"] = e.Smtp?.Reply,
            ["Detail"] = e.Detail,
            ["Recipient"] = e.Recipient,
            ["Attempt"] = e.Attempt,
            ["Profile"] = e.Profile,
            ["HttpStatus"] = e.HttpStatus,
        };

    private static MessageEvent EventFromEntity(TableEntity e) => new(
        MessageEventTypes.FromWire(e.GetString("Type") ?? nameof(MessageEventType.Accepted)),
        e.GetDateTimeOffset("At") ?? default,
        e.GetInt32("SmtpCode") is { } code ? new SmtpReply(code, e.GetString("SmtpReply") ?? "") : null,
        e.GetString("Detail"),
        e.GetString("Recipient"),
        e.GetInt32("Attempt"),
        e.GetString("Profile"),
        e.GetInt32("HttpStatus"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: the change is committed, but {Observer} could not take its events")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string messageId, string observer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} is {Status}, but its index entry could not be updated; the list shows the older status")]
    private static partial void LogIndexNotUpdated(ILogger logger, Exception exception, string messageId, string status);
}
