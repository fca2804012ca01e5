using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Bridge.Core.Messages;
using Bridge.Core.Storage;

namespace Bridge.Core.Events;

/// <summary>
/// Messages and their timelines in Table storage. A message's state row and its event rows share one
/// partition (the message id), so a state change and the event that explains it commit together in
/// one transaction, and one query reads the whole timeline back.
/// </summary>
public sealed class MessageStore(StorageClients storage)
{
    private const string StateRowKey = "message";
    private const string EventRowPrefix = "event-";

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.MessagesTable);

    /// <summary>Writes a new message with its first events in one transaction.</summary>
    public async Task<MessageRecord> CreateAsync(MessageRecord message, IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken)
    {
        var created = message with { EventCount = events.Count };
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, ToEntity(created)) };
        actions.AddRange(events.Select((e, i) => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(message.Id, i, e))));
        var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        return created with { ETag = response.Value[0].Headers.ETag ?? default };
    }

    /// <summary>
    /// Replaces the state row if nobody changed it since <paramref name="message"/> was read, and
    /// appends <paramref name="events"/>, all in one transaction.
    /// </summary>
    /// <exception cref="MessageConcurrencyException">The ETag no longer matches.</exception>
    public async Task<MessageRecord> UpdateAsync(MessageRecord message, IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken)
    {
        var updated = message with { EventCount = message.EventCount + events.Count };
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(updated), message.ETag) };
        actions.AddRange(events.Select((e, i) => new TableTransactionAction(
            TableTransactionActionType.Add, ToEntity(message.Id, message.EventCount + i, e))));
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return updated with { ETag = response.Value[0].Headers.ETag ?? default };
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409)
        {
            throw new MessageConcurrencyException(message.Id, e);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409)
        {
            throw new MessageConcurrencyException(message.Id, e);
        }
    }

    public async Task<MessageRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(id, StateRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<MessageTimeline?> GetTimelineAsync(string id, CancellationToken cancellationToken)
    {
        MessageRecord? message = null;
        var events = new List<MessageEvent>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey == StateRowKey)
            {
                message = FromEntity(entity);
            }
            else if (entity.RowKey.StartsWith(EventRowPrefix, StringComparison.Ordinal))
            {
                events.Add(EventFromEntity(entity));
            }
        }

        return message is null ? null : new MessageTimeline(message, events);
    }

    private static TableEntity ToEntity(MessageRecord m) => new(m.Id, StateRowKey)
    {
        ["Owner"] = m.Owner,
        ["Status"] = m.Status.ToWire(),
        ["CreatedAt"] = m.CreatedAt,
        ["UpdatedAt"] = m.UpdatedAt,
        ["From"] = m.From,
        ["To"] = JsonSerializer.Serialize(m.To),
        ["Subject"] = m.Subject,
        ["Profile"] = m.Profile,
        ["Tags"] = JsonSerializer.Serialize(m.Tags),
        ["Attempts"] = m.Attempts,
        ["LastReplyCode"] = m.LastReply?.Code,
        ["LastReply"] = m.LastReply?.Reply,
        ["NextAttemptAt"] = m.NextAttemptAt,
        ["LastError"] = m.LastError,
        ["LeaseUntil"] = m.LeaseUntil,
        ["PartiallySent"] = m.PartiallySent,
        ["EventCount"] = m.EventCount,
    };

    private static MessageRecord FromEntity(TableEntity e) => new()
    {
        Id = e.PartitionKey,
        Owner = e.GetString("Owner") ?? "",
        Status = Enum.Parse<MessageStatus>(e.GetString("Status") ?? nameof(MessageStatus.Queued), ignoreCase: true),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        From = e.GetString("From") ?? "",
        To = JsonSerializer.Deserialize<string[]>(e.GetString("To") ?? "[]") ?? [],
        Subject = e.GetString("Subject") ?? "",
        Profile = e.GetString("Profile") ?? "",
        Tags = JsonSerializer.Deserialize<string[]>(e.GetString("Tags") ?? "[]") ?? [],
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
        new(id, EventRowPrefix + sequence.ToString("D6", CultureInfo.InvariantCulture))
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
