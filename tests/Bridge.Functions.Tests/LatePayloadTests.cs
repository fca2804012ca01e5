using Azure.Storage.Blobs;
using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

/// <summary>
/// Accept stores a claim-checked payload at the same time as the record and the queue message, so the
/// worker may get the queue message first. It loads the payload before it claims the message, and a copy
/// whose payload is not there sends nothing.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class LatePayloadTests(FunctionsFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_payload_not_stored_yet_is_waited_for_and_the_message_sent_once_it_is(bool empty)
    {
        var subject = "late-payload-" + Guid.NewGuid();
        var id = await AcceptLargeAsync(subject);
        var blob = Payloads.GetBlobClient(id + ".eml");
        var payload = (await blob.DownloadContentAsync()).Value.Content;
        // As if the Put Blob were still on its way, or a blob written in blocks had not committed yet.
        if (empty)
        {
            await blob.UploadAsync(BinaryData.Empty, overwrite: true);
        }
        else
        {
            await blob.DeleteAsync();
        }

        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);

        Assert.DoesNotContain(fixture.Smtp.Received, m => m.Parse().Subject == subject);
        Assert.Equal(MessageStatus.Queued, (await Store.GetStateAsync(id, CancellationToken.None))!.Status);
        await blob.UploadAsync(payload, overwrite: true);
        // The envelope was put back to be looked at again in a second.
        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedWhenVisibleAsync(id, TimeSpan.FromSeconds(10)), CancellationToken.None);

        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        var timeline = await Store.GetTimelineAsync(id, CancellationToken.None);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Attempt, MessageEventType.Sent], timeline!.Events.Select(e => e.Type));
        Assert.False((await blob.ExistsAsync()).Value, "a sent message's payload is deleted");
    }

    [Fact]
    public async Task A_copy_that_comes_after_the_message_was_sent_finds_the_payload_gone_and_sends_nothing()
    {
        var subject = "payload-gone-" + Guid.NewGuid();
        var id = await AcceptLargeAsync(subject);
        var message = await fixture.TakeQueuedAsync(id);
        await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);
        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));

        await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);

        Assert.Single(fixture.Smtp.Received, m => m.Parse().Subject == subject);
        Assert.Empty(await fixture.TakeAllQueuedAsync(id));
        Assert.Equal(MessageStatus.Sent, (await Store.GetStateAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_payload_still_missing_long_after_accept_is_a_crash_so_the_message_is_poisoned_not_dropped()
    {
        var subject = "payload-lost-" + Guid.NewGuid();
        var id = await AcceptLargeAsync(subject);
        await Payloads.GetBlobClient(id + ".eml").DeleteAsync();
        var envelope = OutboxQueue.Deserialize(await fixture.TakeQueuedAsync(id));
        var old = OutboxQueue.Serialize(envelope with { AcceptedAt = envelope.AcceptedAt - TimeSpan.FromHours(1) });

        await Assert.ThrowsAsync<PayloadNotFoundException>(() => fixture.Function<DeliverMessageFunction>().Run(old, CancellationToken.None));

        // Nothing put back: the trigger retries this queue message and in the end poisons it, with the reason noted.
        Assert.Empty(await fixture.TakeAllQueuedAsync(id));
        var state = (await Store.GetStateAsync(id, CancellationToken.None))!;
        Assert.Equal(MessageStatus.Queued, state.Status);
        Assert.StartsWith("PayloadNotFoundException: ", state.LastError, StringComparison.Ordinal);
    }

    private MessageStore Store => fixture.Services.GetRequiredService<MessageStore>();

    private BlobContainerClient Payloads => fixture.Storage.Blobs.GetBlobContainerClient(StorageNames.PayloadContainer);

    /// <summary>Accepts a message above the inline limit, so its MIME goes to a payload blob.</summary>
    private async Task<string> AcceptLargeAsync(string subject)
    {
        var id = await fixture.AcceptAsync(Messages.Large(subject));
        Assert.True((await Payloads.GetBlobClient(id + ".eml").ExistsAsync()).Value, "the message is claim-checked");
        return id;
    }
}
