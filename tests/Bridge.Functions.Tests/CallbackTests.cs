using System.Globalization;
using System.Text.Json;
using Bridge.Core.Messages;
using Bridge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

/// <summary>
/// Callbacks end to end through the Functions: a message is sent and delivered over real SMTP, its <c>sent</c> event goes
/// on the real callbacks queue (Azurite), and the callback function POSTs it to a real receiver that checks the signature
/// with its own implementation of the Standard Webhooks algorithm. Every outcome lands in the timeline as <c>callback</c>
/// entries; none changes the message's status.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class CallbackTests(CallbackFixture fixture) : IClassFixture<CallbackFixture>
{
    private List<ReceivedCallback> ReceivedFor(string id) =>
        fixture.Receiver.Received.Where(r => r.Id?.StartsWith($"msg_{id}_", StringComparison.Ordinal) == true).ToList();

    private static List<EventView> Callbacks(MessageView view) => view.Events.Where(e => e.Type == "callback").ToList();

    [Fact]
    public async Task Sent_event_is_posted_signed_retried_after_a_500_and_each_attempt_recorded()
    {
        var id = await fixture.SendAndDeliverAsync("flaky");

        var view = await fixture.DrainCallbacksAsync(id, entries: 2);

        Assert.Equal("sent", view.Status);
        var callbacks = Callbacks(view);
        Assert.Equal([(1, 500), (2, 200)], callbacks.Select(c => (c.Attempt ?? 0, c.HttpStatus ?? 0)));
        Assert.StartsWith("message.sent: HTTP 500; retry 2 of 3", callbacks[0].Detail);
        Assert.Equal("message.sent: delivered (HTTP 200)", callbacks[1].Detail);

        var received = ReceivedFor(id);
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.True(r.SignatureValid, "the receiver's own Standard Webhooks check failed"));
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.Single(received.Select(r => r.Body).Distinct());
        using var body = JsonDocument.Parse(received[0].Body);
        Assert.Equal("message.sent", body.RootElement.GetProperty("type").GetString());
        var data = body.RootElement.GetProperty("data");
        Assert.Equal(id, data.GetProperty("id").GetString());
        Assert.Equal("sent", data.GetProperty("status").GetString());
        // The recipients as the message's own view shows them.
        Assert.Equal(view.To, data.GetProperty("to").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("bo@example.org", data.GetProperty("to")[1].GetString());
        Assert.Equal(250, data.GetProperty("smtp").GetProperty("code").GetInt32());
        Assert.Equal(0, await fixture.QueuedCallbacksAsync(id));
        // Neither the secret nor the URL (which may carry a token) is in the timeline, and the secret is not in what was sent.
        var stored = JsonSerializer.Serialize(view);
        Assert.DoesNotContain(CallbackFixture.Secret, stored);
        Assert.DoesNotContain("127.0.0.1", stored);
        Assert.All(received, r => Assert.DoesNotContain(CallbackFixture.Secret, r.Body + r.Signature));
    }

    [Fact]
    public async Task Receiver_that_does_not_answer_once_times_out_and_the_retry_is_delivered()
    {
        var id = await fixture.SendAndDeliverAsync("hanging");

        var view = await fixture.DrainCallbacksAsync(id, entries: 2);

        var callbacks = Callbacks(view);
        Assert.Null(callbacks[0].HttpStatus);
        Assert.StartsWith("message.sent: no answer within 1 s; retry 2", callbacks[0].Detail);
        Assert.Equal(200, callbacks[1].HttpStatus);
        Assert.Equal("sent", view.Status);
        Assert.All(ReceivedFor(id), r => Assert.True(r.SignatureValid));
    }

    [Theory]
    [InlineData("redirect", 302)]
    [InlineData("silent", null)]
    public async Task Redirect_to_loopback_not_followed_or_no_answer_at_all_is_given_up_on_after_the_ladder_leaving_the_message_sent(string key, int? status)
    {
        var id = await fixture.SendAndDeliverAsync(key);

        var view = await fixture.DrainCallbacksAsync(id, entries: 3);

        Assert.Equal("sent", view.Status);
        var callbacks = Callbacks(view);
        Assert.Equal([(1, status), (2, status), (3, status)], callbacks.Select(c => (c.Attempt ?? 0, c.HttpStatus)));
        Assert.EndsWith("; gave up after 3 attempts", callbacks[2].Detail);
        // A followed redirect would have reached /trap with the same webhook id.
        Assert.Equal(3, ReceivedFor(id).Count);
        Assert.Equal(0, fixture.Receiver.TrapHits);
        Assert.Equal(0, await fixture.QueuedCallbacksAsync(id));
    }

    [Fact]
    public async Task Loopback_destination_is_refused_without_AllowPrivateNetworks_and_not_retried()
    {
        var id = await fixture.SendAndDeliverAsync("ok", fixture.Strict);

        var view = await fixture.DrainCallbacksAsync(id, entries: 1, fixture.Strict);

        var callback = Assert.Single(Callbacks(view));
        Assert.Null(callback.HttpStatus);
        Assert.Contains("refused: 127.0.0.1 resolves to 127.0.0.1", callback.Detail);
        Assert.EndsWith("AllowPrivateNetworks is set; not retried", callback.Detail);
        Assert.Empty(ReceivedFor(id));
        Assert.Equal(0, await fixture.QueuedCallbacksAsync(id));
        Assert.Equal("sent", view.Status);
    }

    [Fact]
    public async Task Canceled_event_is_carried_too_as_the_callback_hooks_where_every_event_is_written()
    {
        var sendAt = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var context = fixture.Functions.NewContext(CallbackFixture.ApiKey("ok"),
            new { from = "orders@shop.example", to = new[] { "ann@example.org" }, subject = "later", text = "x", sendAt });
        context.RequestServices = fixture.Services;
        var (_, accepted, _) = await FunctionsFixture.ExecuteAsync(
            await ActivatorUtilities.CreateInstance<SendMessageFunction>(fixture.Services).Run(context.Request, CancellationToken.None), context);
        var id = accepted.GetProperty("id").GetString()!;
        var cancel = fixture.Functions.NewContext(CallbackFixture.ApiKey("ok"));
        cancel.RequestServices = fixture.Services;
        var (status, _, _) = await FunctionsFixture.ExecuteAsync(
            await ActivatorUtilities.CreateInstance<CancelMessageFunction>(fixture.Services).Run(cancel.Request, id, CancellationToken.None), cancel);
        Assert.Equal(200, status);

        var view = await fixture.DrainCallbacksAsync(id, entries: 1);

        Assert.Equal(200, Assert.Single(Callbacks(view)).HttpStatus);
        var received = Assert.Single(ReceivedFor(id));
        Assert.True(received.SignatureValid);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("message.canceled", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("canceled", body.RootElement.GetProperty("data").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    public async Task Unreadable_queue_item_is_dropped_with_a_log_not_retried_forever(string item) =>
        // No exception: the trigger completes it instead of retrying it into the poison queue.
        await ActivatorUtilities.CreateInstance<SendCallbackFunction>(fixture.Services).Run(item, CancellationToken.None);
}
