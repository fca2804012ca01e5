using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Outbox;
using Bridge.Testing;
using Microsoft.Extensions.Options;

namespace Bridge.IntegrationTests;

/// <summary>Bridge's own storage classes pointed at a test's Azurite, to set up states the HTTP API cannot reach.</summary>
internal sealed class DirectStorage
{
    public DirectStorage(Azurite azurite)
    {
        var storage = azurite.Clients();
        Store = new MessageStore(storage);
        Outbox = new OutboxQueue(storage, Options.Create(new QueueOptions()));
    }

    public MessageStore Store { get; }
    public OutboxQueue Outbox { get; }

    /// <summary>Records a message as the HTTP side would and returns its envelope (inline MIME; with <paramref name="claimCheck"/> also a blob name, not yet written).</summary>
    public async Task<OutboxEnvelope> CreateMessageAsync(string subject, bool claimCheck = false, string profile = "default")
    {
        var id = MessageId.New();
        var now = DateTimeOffset.UtcNow;
        await Store.CreateAsync(new MessageRecord
        {
            Owner = "app", CreatedAt = now, From = "orders@shop.example", To = ["ann@example.org"], Subject = subject, Profile = profile,
            State = DeliveryState.Accepted(id, now),
        }, CancellationToken.None);
        return new OutboxEnvelope
        {
            Id = id, Profile = profile, Sender = "orders@shop.example", Recipients = ["ann@example.org"], AcceptedAt = now,
            Mime = $"From: orders@shop.example\r\nTo: ann@example.org\r\nSubject: {subject}\r\nMessage-ID: <{id}@shop.example>\r\n\r\nbody\r\n",
            PayloadBlob = claimCheck ? id + ".eml" : null,
        };
    }
}
