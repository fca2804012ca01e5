using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Bridge.Core.Messages;
using Bridge.Core.Storage;

namespace Bridge.Core.Events;

/// <summary>
/// Messages and their timelines in Table storage. A message's partition (its id) holds three kinds of
/// row: what was accepted (written once; it is also the timeline's <c>accepted</c> event), the
/// delivery state (created by the first change after accept, then replaced under its ETag), and one
/// row per later event. A state change and the events that explain it commit together, and one query
/// reads the whole timeline back. Because the accepted facts never change, delivery writes the state
/// row without reading the facts, and the first attempt without reading anything: a message with no
/// state row yet is queued, and creating the row is its guard.
/// </summary>
public sealed class MessageStore(StorageClients storage)
{
    /// <summary>Table storage's limit on the entities of one transaction.</summary>
    public const int MaxEntitiesPerTransaction = 100;

    // Row keys repeat the message id although the partition already is the id: Azurite (the local
    // emulator) finds a row through its RowKey index and then scans every row with that key, so keys
    // shared by all messages made each lookup cost grow with the table. Azure is indifferent.
    private const string FactsRowPrefix = "message:";
    private const string StateRowPrefix = "state:";
    private const string EventRowPrefix = "event-";
    private const string CreatedAtColumn = "CreatedAt";
    private const string HeldColumnPrefix = "Held";

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.MessagesTable);

    /// <summary>
    /// Writes a new message: its facts, which stand for its <c>accepted</c> event and, until delivery
    /// first changes it, for its queued state too. One entity, so one write and no transaction.
    /// </summary>
    public async Task CreateAsync(MessageRecord message, CancellationToken cancellationToken) =>
        await table.AddEntityAsync(ToEntity(message), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Writes <paramref name="state"/> if nobody changed it since it was read (a state never written is
    /// created, so the guard is that nobody created it first), and appends <paramref name="events"/> after
    /// the event the state held, if any.
    /// </summary>
    /// <exception cref="MessageConcurrencyException">The state changed since it was read.</exception>
    public Task<DeliveryState> UpdateAsync(DeliveryState state, IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken) =>
        WriteAsync(state, events, held: null, cancellationToken);

    /// <summary>
    /// Writes <paramref name="state"/> as <see cref="UpdateAsync"/> does, and keeps <paramref name="held"/> in
    /// the state row instead of a row of its own until the next update writes it out. The timeline shows
    /// it all the same. For the attempt event, whose outcome follows it within seconds: on a first attempt
    /// the sending mark is then a single-entity write, not a transaction.
    /// </summary>
    /// <exception cref="MessageConcurrencyException">The state changed since it was read.</exception>
    public Task<DeliveryState> HoldAsync(DeliveryState state, MessageEvent held, CancellationToken cancellationToken) =>
        WriteAsync(state, [], held, cancellationToken);

    private async Task<DeliveryState> WriteAsync(DeliveryState state, IReadOnlyList<MessageEvent> events, MessageEvent? held, CancellationToken cancellationToken)
    {
        IReadOnlyList<MessageEvent> rows = state.HeldEvent is { } earlier ? [earlier, .. events] : events;
        var updated = state with { EventCount = state.EventCount + rows.Count, HeldEvent = held };
        var write = state.ETag == default
            ? new TableTransactionAction(TableTransactionActionType.Add, ToEntity(updated))
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(updated), state.ETag);
        try
        {
            if (rows.Count == 0)
            {
                var response = write.ActionType == TableTransactionActionType.Add
                    ? await table.AddEntityAsync(write.Entity, cancellationToken).ConfigureAwait(false)
                    : await table.UpdateEntityAsync(write.Entity, write.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return updated with { ETag = response.Headers.ETag ?? default };
            }

            var actions = new List<TableTransactionAction>(rows.Count + 1) { write };
            actions.AddRange(rows.Select((e, i) => new TableTransactionAction(
                TableTransactionActionType.Add, ToEntity(state.Id, state.EventCount + i, e))));
            var responses = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return updated with { ETag = responses.Value[0].Headers.ETag ?? default };
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            throw new MessageConcurrencyException(state.Id, e);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409 or 404)
        {
            throw new MessageConcurrencyException(state.Id, e);
        }
    }

    /// <summary>The message's delivery state, or null when there is no such message.</summary>
    public async Task<DeliveryState?> GetStateAsync(string id, CancellationToken cancellationToken)
    {
        var state = await table.GetEntityIfExistsAsync<TableEntity>(id, StateRowPrefix + id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (state.HasValue)
        {
            return StateFromEntity(state.Value!);
        }

        // No state row yet: queued, if the message exists at all.
        var facts = await table.GetEntityIfExistsAsync<TableEntity>(id, FactsRowPrefix + id, [CreatedAtColumn], cancellationToken)
            .ConfigureAwait(false);
        return facts.HasValue ? QueuedState(id, facts.Value!) : null;
    }

    public async Task<MessageTimeline?> GetTimelineAsync(string id, CancellationToken cancellationToken)
    {
        TableEntity? facts = null;
        DeliveryState? state = null;
        var events = new List<MessageEvent>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id}");
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
                case var key when key.StartsWith(EventRowPrefix, StringComparison.Ordinal):
                    events.Add(EventFromEntity(entity));
                    break;
            }
        }

        if (facts is null)
        {
            return null;
        }

        var message = FromEntity(facts, state ?? QueuedState(id, facts));
        if (message.State.HeldEvent is { } held)
        {
            events.Add(held);
        }

        return new MessageTimeline(message, [new MessageEvent(MessageEventType.Accepted, message.CreatedAt), .. events]);
    }

    private static DeliveryState QueuedState(string id, TableEntity facts) =>
        DeliveryState.Accepted(id, facts.GetDateTimeOffset(CreatedAtColumn) ?? default);

    private static TableEntity ToEntity(MessageRecord m) => new(m.Id, FactsRowPrefix + m.Id)
    {
        ["Owner"] = m.Owner,
        [CreatedAtColumn] = m.CreatedAt,
        ["From"] = m.From,
        ["To"] = JsonSerializer.Serialize(m.To),
        ["Subject"] = m.Subject,
        ["Profile"] = m.Profile,
        ["Tags"] = JsonSerializer.Serialize(m.Tags),
    };

    private static MessageRecord FromEntity(TableEntity e, DeliveryState state) => new()
    {
        Owner = e.GetString("Owner") ?? "",
        CreatedAt = e.GetDateTimeOffset(CreatedAtColumn) ?? default,
        From = e.GetString("From") ?? "",
        To = JsonSerializer.Deserialize<string[]>(e.GetString("To") ?? "[]") ?? [],
        Subject = e.GetString("Subject") ?? "",
        Profile = e.GetString("Profile") ?? "",
        Tags = JsonSerializer.Deserialize<string[]>(e.GetString("Tags") ?? "[]") ?? [],
        State = state,
    };

    private static TableEntity ToEntity(DeliveryState s)
    {
        var entity = new TableEntity(s.Id, StateRowPrefix + s.Id)
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
        };
        if (s.HeldEvent is { } held)
        {
            WriteEvent(entity, HeldColumnPrefix, held);
        }

        return entity;
    }

    private static DeliveryState StateFromEntity(TableEntity e) => new()
    {
        Id = e.PartitionKey,
        Status = Enum.Parse<MessageStatus>(e.GetString("Status") ?? nameof(MessageStatus.Queued), ignoreCase: true),
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        Attempts = e.GetInt32("Attempts") ?? 0,
        LastReply = e.GetInt32("LastReplyCode") is { } code ? new SmtpReply(code, e.GetString("LastReply") ?? "") : null,
        NextAttemptAt = e.GetDateTimeOffset("NextAttemptAt"),
        LastError = e.GetString("LastError"),
        LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
        PartiallySent = e.GetBoolean("PartiallySent") ?? false,
        EventCount = e.GetInt32("EventCount") ?? 0,
        HeldEvent = e.ContainsKey(HeldColumnPrefix + "Type") ? ReadEvent(e, HeldColumnPrefix) : null,
        ETag = e.ETag,
    };

    private static TableEntity ToEntity(string id, int sequence, MessageEvent e) =>
        WriteEvent(new TableEntity(id, $"{EventRowPrefix}{sequence.ToString("D6", CultureInfo.InvariantCulture)}:{id}"), "", e);

    private static MessageEvent EventFromEntity(TableEntity e) => ReadEvent(e, "");

    // An event's columns: the whole of an event row, or prefixed in the state row that holds one.
    private static TableEntity WriteEvent(TableEntity entity, string prefix, MessageEvent e)
    {
        entity[prefix + "Type"] = e.Type.ToString().ToLowerInvariant();
        entity[prefix + "At"] = e.At;
        entity[prefix + "SmtpCode"] = e.Smtp?.Code;
        entity[prefix + "SmtpReply"] = e.Smtp?.Reply;
        entity[prefix + "Detail"] = e.Detail;
        entity[prefix + "Recipient"] = e.Recipient;
        entity[prefix + "Attempt"] = e.Attempt;
        return entity;
    }

    private static MessageEvent ReadEvent(TableEntity e, string prefix) => new(
        Enum.Parse<MessageEventType>(e.GetString(prefix + "Type") ?? nameof(MessageEventType.Accepted), ignoreCase: true),
        e.GetDateTimeOffset(prefix + "At") ?? default,
        e.GetInt32(prefix + "SmtpCode") is { } code ? new SmtpReply(code, e.GetString(prefix + "SmtpReply") ?? "") : null,
        e.GetString(prefix + "Detail"),
        e.GetString(prefix + "Recipient"),
        e.GetInt32(prefix + "Attempt"));
}
