using Bridge.Core.Delivery;
using Bridge.Core.Events;
using Bridge.Core.Outbox;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Delivery;

/// <summary>What a copy of an envelope does, table by table: the message's state, the copy's attempt, and the time.</summary>
public sealed class CopyDecisionsTests
{
    private static readonly DateTimeOffset Accepted = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    private readonly FakeTimeProvider time = new(Accepted);

    private static OutboxEnvelope Copy(int attempt, DateTimeOffset? sendAt = null) => new()
    {
        Id = "01a24f3132db71779dc70db428941bf5", Profile = "default", Sender = "orders@shop.example",
        Recipients = ["ann@example.org"], Attempt = attempt, AcceptedAt = Accepted, SendAt = sendAt,
    };

    private static DeliveryState State(MessageStatus status, int attempts, DateTimeOffset? leaseUntil = null) =>
        DeliveryState.Accepted("01a24f3132db71779dc70db428941bf5", Accepted, "app") with
        {
            Status = status, Attempts = attempts, LeaseUntil = leaseUntil,
        };

    private CopyDecision Decide(DeliveryState message, OutboxEnvelope copy) =>
        CopyDecisions.Decide(message, copy, time.GetUtcNow(), MaxAge);

    public static TheoryData<MessageStatus> Finished => new() { MessageStatus.Sent, MessageStatus.Failed, MessageStatus.Poisoned, MessageStatus.Canceled };

    [Theory]
    [MemberData(nameof(Finished))]
    public void A_finished_message_is_skipped_by_every_copy(MessageStatus status)
    {
        Assert.Equal(CopyDecision.Skip, Decide(State(status, attempts: 1), Copy(1)));
        Assert.Equal(CopyDecision.Skip, Decide(State(status, attempts: 1), Copy(2)));
    }

    [Theory]
    [InlineData(MessageStatus.Queued, 0, 1, CopyDecision.Send)]
    [InlineData(MessageStatus.Scheduled, 0, 1, CopyDecision.Send)]
    [InlineData(MessageStatus.Sending, 2, 1, CopyDecision.Skip)] // a copy of an attempt already superseded
    [InlineData(MessageStatus.Deferred, 1, 1, CopyDecision.Skip)] // attempt 1 deferred: its next copy is attempt 2
    [InlineData(MessageStatus.Deferred, 1, 2, CopyDecision.Send)]
    [InlineData(MessageStatus.Deferred, 3, 2, CopyDecision.Skip)]
    public void The_attempt_a_copy_carries_decides_whether_it_is_still_the_one(MessageStatus status, int attempts, int copyAttempt, CopyDecision expected) =>
        Assert.Equal(expected, Decide(State(status, attempts), Copy(copyAttempt)));

    [Fact]
    public void A_copy_waits_while_another_holds_the_lease_and_sends_once_it_ran_out()
    {
        var held = State(MessageStatus.Sending, attempts: 1, leaseUntil: Accepted + TimeSpan.FromMinutes(5));

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(CopyDecision.WaitForLease, Decide(held, Copy(1)));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(CopyDecision.Send, Decide(held, Copy(1)));
    }

    [Fact]
    public void A_message_older_than_the_maximum_age_expires_and_not_a_moment_before()
    {
        var waiting = State(MessageStatus.Deferred, attempts: 3);

        time.Advance(MaxAge);
        Assert.Equal(CopyDecision.Send, Decide(waiting, Copy(4)));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CopyDecision.Expire, Decide(waiting, Copy(4)));
    }

    [Fact]
    public void A_scheduled_message_counts_its_age_from_when_it_was_due()
    {
        var sendAt = Accepted + TimeSpan.FromDays(3);
        time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(1));

        Assert.Equal(CopyDecision.Send, Decide(State(MessageStatus.Scheduled, attempts: 0), Copy(1, sendAt)));
        Assert.Equal(CopyDecision.Expire, Decide(State(MessageStatus.Scheduled, attempts: 0), Copy(1)));
    }

    [Fact]
    public void An_expired_lease_on_a_too_old_message_expires_it_rather_than_sending()
    {
        var crashed = State(MessageStatus.Sending, attempts: 2, leaseUntil: Accepted + TimeSpan.FromHours(1));
        time.Advance(MaxAge + TimeSpan.FromMinutes(1));

        Assert.Equal(CopyDecision.Expire, Decide(crashed, Copy(2)));
    }
}
