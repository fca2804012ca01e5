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
/// delivery state (replaced under its ETag), and one row per later event. A state change and the event that explains it commit together in one transaction, and
/// one query reads the whole timeline back. Because the accepted facts never change, delivery writes
/// the state row without reading the facts, and the first attempt without reading anything.
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

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.MessagesTable);

    /// <summary>
    /// Writes a new message (its facts, which stand for its <c>accepted</c> event, and its state) in one
    /// transaction, and returns it with its state's ETag.
    /// </summary>
    public async Task<MessageRecord> CreateAsync(MessageRecord message, CancellationToken cancellationToken)
    {
        var response = await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, ToEntity(message)),
                new TableTransactionAction(TableTransactionActionType.Add, ToEntity(message.State)),
            ],
            cancellationToken).ConfigureAwait(false);
        return message with { State = message.State with { ETag = response.Value[1].Headers.ETag ?? default } };
    }

    /// <summary>
    /// Replaces the state row if nobody changed it since <paramref name="state"/> was read (or written),
    /// and appends <paramref name="events"/>, all in one transaction.
    /// </summary>
    /// <exception cref="MessageConcurrencyException">The ETag no longer matches, or the row is gone.</exception>
    public async Task<DeliveryState> UpdateAsync(DeliveryState state, IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken)
    {
        var updated = state with { EventCount = state.EventCount + events.Count };
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(updated), state.ETag) };
        actions.AddRange(events.Select((e, i) => new TableTransactionAction(
            TableTransactionActionType.Add, ToEntity(state.Id, state.EventCount + i, e))));
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return updated with { ETag = response.Value[0].Headers.ETag ?? default };
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
        var response = await table.GetEntityIfExistsAsync<TableEntity>(id, StateRowPrefix + id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? StateFromEntity(response.Value!) : null;
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

        if (facts is null || state is null)
        {
            return null;
        }

        var message = FromEntity(facts, state);
        return new MessageTimeline(message, [new MessageEvent(MessageEventType.Accepted, message.CreatedAt), .. events]);
    }

    private static TableEntity ToEntity(MessageRecord m) => new(m.Id, FactsRowPrefix + m.Id)
    {
        ["Owner"] = m.Owner,
        ["CreatedAt"] = m.CreatedAt,
        ["From"] = m.From,
        ["To"] = JsonSerializer.Serialize(m.To),
        ["Subject"] = m.Subject,
        ["Profile"] = m.Profile,
        ["Tags"] = JsonSerializer.Serialize(m.Tags),
    };

    private static MessageRecord FromEntity(TableEntity e, DeliveryState state) => new()
    {
        Owner = e.GetString("Owner") ?? "",
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        From = e.GetString("From") ?? "",
        To = JsonSerializer.Deserialize<string[]>(e.GetString("To") ?? "[]") ?? [],
        Subject = e.GetString("Subject") ?? "",
        Profile = e.GetString("Profile") ?? "",
        Tags = JsonSerializer.Deserialize<string[]>(e.GetString("Tags") ?? "[]") ?? [],
        State = state,
    };

    private static TableEntity ToEntity(DeliveryState s) => new(s.Id, StateRowPrefix + s.Id)
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
        ETag = e.ETag,
    };

    private static TableEntity ToEntity(string id, int sequence, MessageEvent e) =>
        new(id, $"{EventRowPrefix}{sequence.ToString("D6", CultureInfo.InvariantCulture)}:{id}")
        {
            ["Type"] = e.Type.ToString().ToLowerInvariant(),
            ["At"] = e.At,
            ["SmtpCode"] = e.Smtp?.Code,
            ["SmtpReply"] = e.Smtp?.Reply,
            ["Detail"] = e.Detail,
            ["Recipient"] = e.Recipient,
            ["Attempt"] = e.Attempt,
        };

    private static MessageEvent EventFromEntity(TableEntity e) => new(
        Enum.Parse<MessageEventType>(e.GetString("Type") ?? nameof(MessageEventType.Accepted), ignoreCase: true),
        e.GetDateTimeOffset("At") ?? default,
        e.GetInt32("SmtpCode") is { } code ? new SmtpReply(code, e.GetString("SmtpReply") ?? "") : null,
        e.GetString("Detail"),
        e.GetString("Recipient"),
        e.GetInt32("Attempt"));
}
