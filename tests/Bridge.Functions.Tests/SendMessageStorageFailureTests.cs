using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

/// <summary>
/// Accept writes the record, the queue message and a claim-checked payload at once. When storage takes only
/// some of them, the client gets a 503 and the message is never sent. Each test breaks its own storage, so it has its own
/// fixture.
/// </summary>
public sealed class SendMessageStorageFailureTests : IAsyncLifetime
{
    private readonly FunctionsFixture fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Recorded_but_not_queued_is_503_and_the_record_says_failed()
    {
        await fixture.Storage.Queues.GetQueueClient("outbound-mail").DeleteAsync();
        var subject = "not-queued-" + Guid.NewGuid();

        var (status, body, _) = await fixture.SendAsync(FunctionsFixture.SenderKey, Messages.Valid(subject: subject));

        Assert.Equal(503, status);
        Assert.Equal("urn:bridge:problem:unavailable", body.GetProperty("type").GetString());
        var facts = await fixture.Storage.Tables.GetTableClient(StorageNames.MessagesTable)
            .QueryAsync<TableEntity>(e => e.GetString("Subject") == subject).SingleAsync();
        var timeline = await fixture.Services.GetRequiredService<MessageStore>().GetTimelineAsync(facts.PartitionKey, CancellationToken.None);
        Assert.Equal(MessageStatus.Failed, timeline!.Message.State.Status);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Failed], timeline.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task Queued_but_not_recorded_is_503_and_the_queue_message_is_not_sent()
    {
        await fixture.Storage.Tables.DeleteTableAsync(StorageNames.MessagesTable);
        var subject = "not-recorded-" + Guid.NewGuid();

        var (status, _, _) = await fixture.SendAsync(FunctionsFixture.SenderKey, Messages.Valid(subject: subject));

        Assert.Equal(503, status);
        var queue = new QueueClient(fixture.Azurite.ConnectionString, "outbound-mail",
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var message = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value, m => m.Body.ToString().Contains(subject, StringComparison.Ordinal));
        await fixture.Function<DeliverMessageFunction>().Run(message.Body.ToString(), CancellationToken.None);

        // The worker found no record: it sends nothing and puts the envelope back to look again in a second.
        Assert.DoesNotContain(fixture.Smtp.Received, m => m.Parse().Subject == subject);
        var again = Assert.Single(await ReceiveWhenVisibleAsync(queue, TimeSpan.FromSeconds(10)));
        Assert.NotEqual(message.MessageId, again.MessageId);
        Assert.Equal(message.Body.ToString(), again.Body.ToString());
    }

    [Fact]
    public async Task Recorded_and_queued_but_the_payload_not_stored_is_503_and_the_queued_copy_sends_nothing()
    {
        await fixture.Storage.Blobs.DeleteBlobContainerAsync(StorageNames.PayloadContainer);
        var subject = "no-payload-" + Guid.NewGuid();

        var (status, _, _) = await fixture.SendAsync(FunctionsFixture.SenderKey, Messages.Large(subject));

        Assert.Equal(503, status);
        var facts = await fixture.Storage.Tables.GetTableClient(StorageNames.MessagesTable)
            .QueryAsync<TableEntity>(e => e.GetString("Subject") == subject).SingleAsync();
        var copy = await fixture.TakeQueuedAsync(facts.PartitionKey);
        await fixture.Function<DeliverMessageFunction>().Run(copy, CancellationToken.None);

        Assert.DoesNotContain(fixture.Smtp.Received, m => m.Parse().Subject == subject);
        Assert.Empty(await fixture.TakeAllQueuedAsync(facts.PartitionKey));
        var timeline = await fixture.Services.GetRequiredService<MessageStore>().GetTimelineAsync(facts.PartitionKey, CancellationToken.None);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Failed], timeline!.Events.Select(e => e.Type));
    }

    /// <summary>Receives the queue's messages once any is visible (bounded): one put back with a delay shows up after it.</summary>
    private static async Task<QueueMessage[]> ReceiveWhenVisibleAsync(QueueClient queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = (await queue.ReceiveMessagesAsync(32)).Value;
            if (received.Length > 0 || DateTime.UtcNow > deadline)
            {
                return received;
            }

            await Task.Delay(100);
        }
    }
}
