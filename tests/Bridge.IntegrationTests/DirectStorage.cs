using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Outbox;
using Bridge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.IntegrationTests;

/// <summary>Bridge's own storage classes pointed at a test's Azurite, to set up states the HTTP API cannot reach.</summary>
internal sealed class DirectStorage
{
    public DirectStorage(Azurite azurite)
    {
        var storage = azurite.Clients();
        Store = new MessageStore(storage, new MessageIndex(storage), NullLogger<MessageStore>.Instance);
        Outbox = new OutboxQueue(storage, Options.Create(new QueueOptions()));
    }

    public MessageStore Store { get; }
    public OutboxQueue Outbox { get; }

    /// <summary>Records a message as the HTTP side would and returns its envelope (inline MIME; with <paramref name="claimCheck"/> also a blob name, not yet written).</summary>
    public async Task<OutboxEnvelope> CreateMessageAsync(string subject, bool claimCheck = false, string profile = "default")
    {
        var envelope = Envelope(subject, claimCheck, profile);
        await RecordAsync(envelope, subject);
        return envelope;
    }

    /// <summary>An envelope as accept builds it, not yet recorded nor queued.</summary>
    public static OutboxEnvelope Envelope(string subject, bool claimCheck = false, string profile = "default")
    {
        var id = MessageId.New();
        return new OutboxEnvelope
        {
            Id = id, Profile = profile, Sender = "orders@shop.example", Recipients = ["ann@example.org"], AcceptedAt = DateTimeOffset.UtcNow,
            Mime = $"From: orders@shop.example\r\nTo: ann@example.org\r\nSubject: {subject}\r\nMessage-ID: <{id}@shop.example>\r\n\r\nbody\r\n",
            PayloadBlob = claimCheck ? id + ".eml" : null,
        };
    }

    /// <summary>Writes the record of <paramref name="envelope"/>'s message, as accept does.</summary>
    public Task RecordAsync(OutboxEnvelope envelope, string subject) => Store.CreateAsync(new MessageRecord
    {
        Owner = "app", CreatedAt = envelope.AcceptedAt, From = envelope.Sender, To = envelope.Recipients, Subject = subject, Profile = envelope.Profile,
        State = DeliveryState.Accepted(envelope.Id, envelope.AcceptedAt),
    }, CancellationToken.None);
}
