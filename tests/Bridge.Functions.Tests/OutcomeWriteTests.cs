using Bridge.Core.Events;
using Bridge.Core.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

/// <summary>
/// The one window for a duplicate: the server said 250 and the outcome was not written. A failed outcome write is
/// retried while the worker holds the lease; a copy that later finds the message still <c>sending</c> under a lease
/// that ran out, and sends it again, records a <c>possible-duplicate</c> event.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class OutcomeWriteTests(FunctionsFixture fixture)
{
    private MessageStore Store => fixture.Services.GetRequiredService<MessageStore>();

    [Fact]
    public async Task Outcome_write_that_fails_after_the_250_is_retried_within_the_lease()
    {
        var subject = "outcome-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));
        var message = await fixture.TakeQueuedAsync(id);
        // The server has the mail (its 250 is on the way) when storage stops answering for the next write.
        fixture.Smtp.OnData = mail =>
        {
            if (mail.Parse().Subject == subject)
            {
                fixture.Faults.FailTableWrites(1);
            }

            return null;
        };
        try
        {
            await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);
        }
        finally
        {
            fixture.Smtp.OnData = null;
        }

        Assert.Equal(1, fixture.Faults.Failed);
        var timeline = (await Store.GetTimelineAsync(id, CancellationToken.None))!;
        Assert.Equal(MessageStatus.Sent, timeline.Message.State.Status);
        Assert.Equal([MessageEventType.Accepted, MessageEventType.Attempt, MessageEventType.Sent], timeline.Events.Select(e => e.Type));
        Assert.Single(fixture.Smtp.Received, m => m.Parse().Subject == subject);
    }

    [Fact]
    public async Task Copy_that_finds_an_expired_sending_lease_and_sends_again_records_a_possible_duplicate()
    {
        var subject = "resumed-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));
        var message = await fixture.TakeQueuedAsync(id);
        // What a worker leaves when it dies between the server's 250 and the outcome write: sending, under a lease
        // that has since run out.
        await Store.UpdateAsync(
            DeliveryState.Accepted(id, DateTimeOffset.UtcNow) with
            {
                Status = MessageStatus.Sending, Attempts = 1, UpdatedAt = DateTimeOffset.UtcNow, LeaseUntil = DateTimeOffset.UtcNow.AddSeconds(-1),
            },
            [new MessageEvent(MessageEventType.Attempt, DateTimeOffset.UtcNow, Attempt: 1)], CancellationToken.None);

        await fixture.Function<DeliverMessageFunction>().Run(message, CancellationToken.None);

        var timeline = (await Store.GetTimelineAsync(id, CancellationToken.None))!;
        Assert.Equal(MessageStatus.Sent, timeline.Message.State.Status);
        Assert.Equal(
            [MessageEventType.Accepted, MessageEventType.Attempt, MessageEventType.Attempt, MessageEventType.Sent, MessageEventType.PossibleDuplicate],
            timeline.Events.Select(e => e.Type));

        var context = fixture.NewContext(FunctionsFixture.SenderKey);
        var (_, body, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<GetMessageFunction>().Run(context.Request, id, CancellationToken.None), context);
        Assert.Contains(body.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "possible-duplicate");
    }

    [Fact]
    public async Task First_send_records_no_possible_duplicate()
    {
        var id = await fixture.AcceptAsync(Messages.Valid(subject: "single-" + Guid.NewGuid()));

        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);

        var timeline = (await Store.GetTimelineAsync(id, CancellationToken.None))!;
        Assert.DoesNotContain(MessageEventType.PossibleDuplicate, timeline.Events.Select(e => e.Type));
    }
}
