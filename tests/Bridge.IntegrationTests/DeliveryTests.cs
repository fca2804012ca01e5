using System.Net;
using Azure.Storage.Blobs;
using Bridge.Core.Outbox;
using Bridge.Core.Storage;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>Retries, permanent failures, partial recipients, poison and replay, through Bridge.Server.</summary>
[Collection(ServerCollection.Name)]
public sealed class DeliveryTests(ServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private Task<System.Text.Json.JsonElement> Finished(string id) =>
        fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed" or "poisoned", Patience);

    private int Delivered(string subject) => fixture.Smtp.Received.Count(m => m.Parse().Subject == subject);

    /// <summary>Queues an envelope as accept does, without writing its record; the copy is watched until a worker has handled it.</summary>
    private async Task<(DirectStorage Direct, string Subject, OutboxEnvelope Envelope, QueuedCopy Copy)> QueueWithoutRecordAsync(
        string subjectPrefix, TimeSpan acceptedAgo = default)
    {
        var direct = new DirectStorage(fixture.Azurite);
        var subject = subjectPrefix + Guid.NewGuid();
        var fresh = DirectStorage.Envelope(subject);
        var envelope = fresh with { AcceptedAt = fresh.AcceptedAt - acceptedAgo };
        return (direct, subject, envelope, await QueuedCopy.SendAsync(fixture.Azurite, envelope));
    }

    [Fact]
    public async Task Temporary_refusal_at_mail_from_is_deferred_then_sent_once()
    {
        var sender = $"retry-{Guid.NewGuid():N}@shop.example";
        var refusals = 0;
        fixture.Smtp.OnMailFrom = from => from == sender && Interlocked.Increment(ref refusals) == 1
            ? TestSmtpServer.Reply(451, "4.3.2 Please try again later")
            : null;
        var subject = "deferred " + sender;

        var id = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail(subject, from: sender))).Body);
        var status = await Finished(id);

        Assert.Equal("sent", status.GetProperty("status").GetString());
        Assert.Equal(["accepted", "attempt", "deferred", "attempt", "sent"], ServerFixture.EventTypes(status));
        var deferred = status.GetProperty("events")[2];
        Assert.Equal(451, deferred.GetProperty("smtp").GetProperty("code").GetInt32());
        Assert.Equal(2, status.GetProperty("attempts").GetInt32());
        Assert.Equal(1, Delivered(subject));
    }

    [Fact]
    public async Task One_refused_recipient_is_recorded_while_the_other_gets_the_mail()
    {
        var gone = $"gone-{Guid.NewGuid():N}@example.org";
        fixture.Smtp.OnRcptTo = to => to == gone ? TestSmtpServer.Reply(550, "5.1.1 No such user") : null;
        var subject = "partial " + gone;

        var id = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail(subject, to: ["ann@example.org", gone]))).Body);
        var status = await Finished(id);

        Assert.Equal("sent", status.GetProperty("status").GetString());
        Assert.Equal(["accepted", "attempt", "rejected", "sent"], ServerFixture.EventTypes(status));
        var rejected = status.GetProperty("events")[2];
        Assert.Equal(gone, rejected.GetProperty("recipient").GetString());
        Assert.Equal(550, rejected.GetProperty("smtp").GetProperty("code").GetInt32());
        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(5));
        Assert.Equal(["ann@example.org"], mail.To);
    }

    [Fact]
    public async Task Recipient_refused_for_now_is_retried_alone_after_the_others_got_the_mail()
    {
        var busy = $"busy-{Guid.NewGuid():N}@example.org";
        var refusals = 0;
        fixture.Smtp.OnRcptTo = to => to == busy && Interlocked.Increment(ref refusals) == 1
            ? TestSmtpServer.Reply(450, "4.2.1 Mailbox busy, try later")
            : null;
        var subject = "busy " + busy;

        var id = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail(subject, to: ["ann@example.org", busy]))).Body);
        var status = await Finished(id);

        Assert.Equal("sent", status.GetProperty("status").GetString());
        Assert.Equal(["accepted", "attempt", "rejected", "sent", "deferred", "attempt", "sent"], ServerFixture.EventTypes(status));
        var copies = fixture.Smtp.Received.Where(m => m.Parse().Subject == subject).Select(m => string.Join(",", m.To)).ToList();
        Assert.Equal(["ann@example.org", busy], copies);
    }

    [Fact]
    public async Task Refusal_after_data_fails_after_one_attempt()
    {
        var subject = "refused-" + Guid.NewGuid();
        fixture.Smtp.OnData = mail => mail.Parse().Subject == subject ? TestSmtpServer.Reply(554, "5.6.0 Message rejected") : null;

        var id = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail(subject))).Body);
        var status = await Finished(id);

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal(["accepted", "attempt", "failed"], ServerFixture.EventTypes(status));
        Assert.Equal(554, status.GetProperty("lastReply").GetProperty("code").GetInt32());
        Assert.Equal(1, status.GetProperty("attempts").GetInt32());
        Assert.Equal(0, Delivered(subject));
    }

    [Fact]
    public async Task Dropped_connection_mid_data_is_retried_and_delivered_once()
    {
        var subject = "dropped-" + Guid.NewGuid();
        var drops = 0;
        fixture.Smtp.DropOnData = mail => mail.Parse().Subject == subject && Interlocked.Increment(ref drops) == 1;

        var id = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail(subject))).Body);
        var status = await Finished(id);

        Assert.Equal("sent", status.GetProperty("status").GetString());
        Assert.Contains("deferred", ServerFixture.EventTypes(status));
        Assert.Equal(1, Delivered(subject));
    }

    [Fact]
    public async Task Server_down_then_up_is_deferred_then_sent()
    {
        var subject = "later-" + Guid.NewGuid();
        var id = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail(subject, profile: "later"))).Body);

        var deferred = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s == "deferred", Patience);
        Assert.True(deferred.TryGetProperty("nextAttemptAt", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String);
        await using var later = await TestSmtpServer.StartAsync(
            TestSmtpSecurity.StartTls, ServerFixture.SmtpUser, ServerFixture.SmtpPassword, fixture.LaterPort, fixture.LaterCertificate);
        var status = await Finished(id);

        Assert.Equal("sent", status.GetProperty("status").GetString());
        Assert.Equal("deferred", ServerFixture.EventTypes(status)[2]);
        Assert.Single(later.Received);
    }

    [Fact]
    public async Task Queue_message_that_arrives_before_its_record_waits_for_it_and_is_sent_once()
    {
        // Accept writes the record and the queue message at once; here the record comes a while later.
        var (direct, subject, envelope, copy) = await QueueWithoutRecordAsync("late-record-");
        await copy.WaitUntilHandledAsync(Patience); // put back to look again: the first copy found no record
        Assert.Equal(0, Delivered(subject));
        await direct.RecordAsync(envelope, subject);
        var status = await Finished(envelope.Id);

        Assert.Equal("sent", status.GetProperty("status").GetString());
        Assert.Equal(["accepted", "attempt", "sent"], ServerFixture.EventTypes(status));
        Assert.Equal(1, Delivered(subject));
    }

    [Fact]
    public async Task Queue_message_whose_record_never_comes_is_dropped_unsent()
    {
        // What an accept leaves when its record write failed and its client got a 503: queued longer ago than
        // RecordWait (6 s here), so the first copy that finds no record drops it.
        var (direct, subject, envelope, copy) = await QueueWithoutRecordAsync("no-record-", acceptedAgo: TimeSpan.FromSeconds(30));
        await copy.WaitUntilHandledAsync(Patience);

        Assert.Equal(0, Delivered(subject));
        Assert.Null(await direct.Store.GetTimelineAsync(envelope.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Crash_loop_ends_poisoned_with_the_reason_and_replay_delivers_it()
    {
        var direct = new DirectStorage(fixture.Azurite);
        var subject = "poison-" + Guid.NewGuid();
        var envelope = await direct.CreateMessageAsync(subject, claimCheck: true);

        // The payload blob is missing. The first attempt waits for it for RecordWait (6 s here), as for a Put Blob
        // still on its way; after that every try crashes until the trigger gives up.
        await direct.Outbox.SendAsync(envelope with { Mime = null }, TimeSpan.Zero, CancellationToken.None);
        var poisoned = await Finished(envelope.Id);

        Assert.Equal("poisoned", poisoned.GetProperty("status").GetString());
        var detail = poisoned.GetProperty("events").EnumerateArray().Last().GetProperty("detail").GetString();
        Assert.Contains($"PayloadNotFoundException: The payload of message {envelope.Id} is not in Blob storage, or not written yet.", detail, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/messages/{envelope.Id}/replay", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostAsync(null, path: $"api/v1/messages/{envelope.Id}/replay")).Response.StatusCode);

        // Fix the cause, then replay.
        await new BlobContainerClient(fixture.Azurite.ConnectionString, StorageNames.PayloadContainer)
            .GetBlobClient(envelope.PayloadBlob).UploadAsync(BinaryData.FromString(envelope.Mime!));
        var (replayed, body) = await fixture.PostAsync(null, ServerFixture.AdminKey, $"api/v1/messages/{envelope.Id}/replay");
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        Assert.Equal(envelope.Id, ServerFixture.Id(body));
        var status = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, envelope.Id, s => s == "sent", Patience);

        Assert.Equal(1, Delivered(subject));
        Assert.Equal(["poisoned", "replayed", "attempt", "sent"], ServerFixture.EventTypes(status).SkipWhile(t => t != "poisoned"));
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.PostAsync(null, ServerFixture.AdminKey, $"api/v1/messages/{envelope.Id}/replay")).Response.StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_idempotency_key_queue_one_message()
    {
        var subject = "idempotent-" + Guid.NewGuid();
        var key = Guid.NewGuid().ToString();
        var mail = ServerFixture.Mail(subject);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => fixture.PostAsync(mail, idempotencyKey: key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.Response.StatusCode));
        var id = Assert.Single(responses.Select(r => ServerFixture.Id(r.Body)).Distinct());
        // One id for all 50 answers is the proof that one message was queued; its one copy sent it once.
        Assert.Equal("sent", (await Finished(id)).GetProperty("status").GetString());
        Assert.Equal(1, Delivered(subject));

        var (again, body) = await fixture.PostAsync(mail, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(id, ServerFixture.Id(body));
    }

    [Fact]
    public async Task Same_idempotency_key_with_another_body_is_409_and_keys_are_per_api_key()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.PostAsync(ServerFixture.Mail("first " + key), idempotencyKey: key)).Response.StatusCode);

        var (conflict, problem) = await fixture.PostAsync(ServerFixture.Mail("second " + key), idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("urn:bridge:problem:idempotency-conflict", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Refused_request_does_not_use_up_its_idempotency_key()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.PostAsync(new { from = "orders@shop.example", subject = "x" }, idempotencyKey: key)).Response.StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await fixture.PostAsync(ServerFixture.Mail("fixed " + key), idempotencyKey: key)).Response.StatusCode);
    }
}
