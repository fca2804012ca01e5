using System.Text;
using System.Text.Json;
using Bridge.Core.Bounces;
using Bridge.Core.Delivery;
using Bridge.Testing;
using MailKit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Functions.Tests;

/// <summary>A private Dovecot for one test class; its password is the one the app's secret store holds.</summary>
public sealed class BounceMailboxFixture : IAsyncLifetime
{
    public Dovecot Imap { get; private set; } = null!;

    public async Task InitializeAsync() => Imap = await Dovecot.StartAsync(password: FunctionsFixture.SmtpPassword);

    public async Task DisposeAsync() => await Imap.DisposeAsync();
}

/// <summary>
/// Bounces through the Functions app: DSNs written as an MTA writes them, read from a real IMAP server (Dovecot) by the
/// timer's poller, or handed over HTTP; matched to messages a real SMTP server took.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class BounceTests(FunctionsFixture fixture, BounceMailboxFixture mailbox) : IClassFixture<BounceMailboxFixture>
{
    [Fact]
    public async Task A_dsn_in_the_bounce_mailbox_is_recorded_its_hard_bounce_suppressed_and_the_mail_flagged_seen()
    {
        var (id, messageId) = await SendAndDeliverAsync();
        var uid = await mailbox.Imap.AppendAsync(Dsn.Parse(Dsn.Build(messageId,
            new Dsn.Failure("bo@example.org", "5.1.1", "550 5.1.1 <bo@example.org>: Recipient address rejected: User unknown in virtual mailbox table"),
            new Dsn.Failure("ann@example.org", "5.7.1", "554 5.7.1 Message refused as spam"))));

        await new PollBouncesFunction(Poller()).Run(null!, CancellationToken.None);

        var bounced = Events(await GetAsync(id), "bounced").ToList();
        Assert.Equal(["bo@example.org", "ann@example.org"], bounced.Select(e => e.GetProperty("recipient").GetString()));
        Assert.Equal(550, bounced[0].GetProperty("smtp").GetProperty("code").GetInt32());
        Assert.StartsWith("5.1.1 <bo@example.org>", bounced[0].GetProperty("smtp").GetProperty("reply").GetString());
        Assert.Contains("status 5.1.1", bounced[0].GetProperty("detail").GetString());
        Assert.Contains("not suppressed", bounced[1].GetProperty("detail").GetString());
        Assert.True(await mailbox.Imap.IsSeenAsync(uid));

        var suppressed = await SuppressionsAsync(id);
        Assert.Equal(["bo@example.org"], suppressed.Select(s => s.GetProperty("email").GetString()));
        Assert.Equal("bounce", suppressed[0].GetProperty("reason").GetString());

        // Read again (the flag lost, say): nothing is recorded twice.
        var again = Assert.Single(await Poller().PollAsync(CancellationToken.None));
        Assert.Equal(0, again[BounceOutcome.Recorded]);
        Assert.Equal(2, Events(await GetAsync(id), "bounced").Count());
    }

    [Fact]
    public async Task A_dsn_postfix_writes_when_it_cannot_deliver_arrives_in_the_mailbox_and_is_recorded()
    {
        await using var postfix = await PostfixBouncer.StartAsync(mailbox.Imap);
        var (id, _) = await SendAndDeliverAsync();
        var taken = fixture.Smtp.Received.Last(m => m.Parse().MessageId?.StartsWith(id, StringComparison.Ordinal) == true);

        // The upstream relays what it took onwards; the next hop (Postfix) cannot deliver it and bounces it to the sender.
        using (var relay = new MailKit.Net.Smtp.SmtpClient())
        {
            await relay.ConnectAsync("127.0.0.1", postfix.Port, MailKit.Security.SecureSocketOptions.None);
            await relay.SendAsync(taken.Parse(), new MimeKit.MailboxAddress(null, "orders@shop.example"), [new MimeKit.MailboxAddress(null, "bo@example.org")]);
            await relay.DisconnectAsync(true);
        }

        var uid = await mailbox.Imap.WaitForAsync(MailKit.Search.SearchQuery.FromContains("mx.bounce.test"), TimeSpan.FromSeconds(60));
        await Poller().PollAsync(CancellationToken.None);

        var bounced = Assert.Single(Events(await GetAsync(id), "bounced"));
        Assert.Equal("bo@example.org", bounced.GetProperty("recipient").GetString());
        Assert.Contains("mx.bounce.test", bounced.GetProperty("detail").GetString());
        Assert.Equal(550, bounced.GetProperty("smtp").GetProperty("code").GetInt32());
        Assert.Contains("status 5.1.1", bounced.GetProperty("detail").GetString());
        Assert.Equal(["bo@example.org"], (await SuppressionsAsync(id)).Select(s => s.GetProperty("email").GetString()));
        Assert.True(await mailbox.Imap.IsSeenAsync(uid), postfix.Log);
    }

    [Fact]
    public async Task Dsns_that_match_nothing_or_cannot_be_read_stay_unread_and_are_counted()
    {
        var unknown = Guid.CreateVersion7().ToString("N") + "@shop.example";
        var uids = new List<UniqueId>
        {
            await mailbox.Imap.AppendAsync(Dsn.Parse(Dsn.Build(null, new Dsn.Failure("bo@example.org", "5.1.1", null)))),
            await mailbox.Imap.AppendAsync(Dsn.Parse(Dsn.Build(unknown, new Dsn.Failure("bo@example.org", "5.1.1", null)))),
            await mailbox.Imap.AppendAsync(Dsn.Parse(Dsn.Build("not-ours@elsewhere.example", new Dsn.Failure("bo@example.org", "5.1.1", null)))),
            await mailbox.Imap.AppendAsync(Dsn.Parse("From: someone@example.org\r\nSubject: out of office\r\n\r\nI am away.\r\n"u8.ToArray())),
            await mailbox.Imap.AppendAsync(Dsn.Parse(Encoding.UTF8.GetBytes(
                "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n--b--\r\n"))),
        };

        const string unmatched = "bridge_bounces_total{bridge_bounce_source=\"imap\",bridge_outcome=\"unmatched\"}";
        const string malformed = "bridge_bounces_total{bridge_bounce_source=\"imap\",bridge_outcome=\"malformed\"}";
        var before = await PrometheusAsync();

        var poll = Assert.Single(await Poller().PollAsync(CancellationToken.None));

        Assert.Null(poll.Error);
        Assert.True(poll[BounceOutcome.Unmatched] >= 3);
        Assert.True(poll[BounceOutcome.Malformed] >= 2);
        var after = await PrometheusAsync();
        Assert.Equal(Value(before, unmatched) + poll[BounceOutcome.Unmatched], Value(after, unmatched));
        Assert.Equal(Value(before, malformed) + poll[BounceOutcome.Malformed], Value(after, malformed));
        foreach (var uid in uids)
        {
            Assert.False(await mailbox.Imap.IsSeenAsync(uid));
        }
    }

    [Fact]
    public async Task The_timer_ticks_often_but_reads_the_mailboxes_every_poll_seconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var poller = ActivatorUtilities.CreateInstance<BouncePoller>(fixture.Services, time, Options.Create(new BounceOptions { PollSeconds = 60 }),
            Options.Create(new SmtpOptions()));
        var ticks = new List<bool>();
        for (var tick = 0; tick < 9; tick++)
        {
            ticks.Add(await poller.PollIfDueAsync(CancellationToken.None));
            time.Advance(TimeSpan.FromSeconds(BounceOptionsValidator.MinPollSeconds));
        }

        // Every 15 seconds a tick; at 0, 60 and 120 seconds a poll.
        Assert.Equal([true, false, false, false, true, false, false, false, true], ticks);
    }

    [Fact]
    public async Task A_mailbox_that_refuses_the_login_is_logged_and_the_poll_goes_on()
    {
        var poller = Poller(m => m.Username = "nobody-here");

        var poll = Assert.Single(await poller.PollAsync(CancellationToken.None));

        Assert.Contains("Authentication", poll.Error);
    }

    [Fact]
    public async Task A_dsn_handed_over_http_is_recorded_on_its_message_and_suppresses_for_that_messages_key()
    {
        var (id, messageId) = await SendAndDeliverAsync(FunctionsFixture.OtherKey);
        var raw = Dsn.Build(messageId, new Dsn.Failure("ann@example.org", "5.1.1", "550 5.1.1 user unknown"));

        var (status, body) = await PostBounceAsync("message/rfc822", raw);

        Assert.Equal(200, status);
        Assert.Equal("recorded", body.GetProperty("outcome").GetString());
        Assert.Equal(id, body.GetProperty("messageId").GetString());
        Assert.True(body.GetProperty("recipients")[0].GetProperty("suppressed").GetBoolean());
        // The admin key that handed it over has nothing suppressed: the message's own key has.
        var suppressed = await SuppressionsAsync(id);
        Assert.Equal(["other"], suppressed.Select(s => s.GetProperty("key").GetString()));

        var (againStatus, again) = await PostBounceAsync("message/rfc822", raw);
        Assert.Equal(200, againStatus);
        Assert.Equal("already-recorded", again.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_report_part_alone_is_read_with_the_boundary_from_its_content_type()
    {
        var (id, messageId) = await SendAndDeliverAsync();
        var (contentType, report) = Dsn.ReportPart(Dsn.Build(messageId, new Dsn.Failure("bo@example.org", "5.2.2", "552 5.2.2 mailbox full")));

        var (status, body) = await PostBounceAsync(contentType, report);

        Assert.Equal(200, status);
        Assert.Equal("recorded", body.GetProperty("outcome").GetString());
        Assert.Single(Events(await GetAsync(id), "bounced"));
    }

    [Fact]
    public async Task A_10_mb_dsn_returning_the_whole_message_is_recorded()
    {
        var (id, messageId) = await SendAndDeliverAsync();
        var raw = Dsn.BuildReturningMessage(messageId, 10 * 1024 * 1024, new Dsn.Failure("bo@example.org", "5.1.1", "550 5.1.1 unknown"));

        var (status, body) = await PostBounceAsync("message/rfc822", raw);

        Assert.Equal(200, status);
        Assert.Equal("recorded", body.GetProperty("outcome").GetString());
        Assert.Single(Events(await GetAsync(id), "bounced"));
    }

    [Fact]
    public async Task Bad_bounce_bodies_are_problems_that_say_why_never_a_500()
    {
        var unmatched = await PostBounceAsync("message/rfc822", Dsn.Build(null, new Dsn.Failure("bo@example.org", "5.1.1", null)));
        Assert.Equal(422, unmatched.Status);
        Assert.Equal("unmatched", unmatched.Body.GetProperty("outcome").GetString());
        Assert.Contains("no original headers", unmatched.Body.GetProperty("detail").GetString());

        var malformed = await PostBounceAsync("message/rfc822", "Subject: hello\r\n\r\njust text\r\n"u8.ToArray());
        Assert.Equal(422, malformed.Status);
        Assert.Equal("malformed", malformed.Body.GetProperty("outcome").GetString());

        var garbage = await PostBounceAsync("multipart/report; report-type=delivery-status", [0xff, 0xfe, 0x00, 0x01, 0x02]);
        Assert.Equal(422, garbage.Status);

        Assert.Equal(415, (await PostBounceAsync("application/json", "{}"u8.ToArray())).Status);
        Assert.Equal(403, (await PostBounceAsync("message/rfc822", [], FunctionsFixture.SenderKey)).Status);
    }

    private BouncePoller Poller(Action<BounceMailbox>? change = null)
    {
        var settings = new BounceMailbox
        {
            Host = "127.0.0.1", Port = mailbox.Imap.Port, Security = SmtpSecurity.None, AllowInsecureAuth = true,
            Username = mailbox.Imap.User, PasswordSecret = "SmtpPassword", TimeoutSeconds = 10,
        };
        change?.Invoke(settings);
        var smtp = new SmtpOptions();
        smtp.Profiles["default"] = new SmtpProfile { Host = "localhost", BounceMailbox = settings };
        return ActivatorUtilities.CreateInstance<BouncePoller>(fixture.Services, Options.Create(smtp));
    }

    private async Task<(string Id, string MessageId)> SendAndDeliverAsync(string key = FunctionsFixture.SenderKey)
    {
        var subject = "bounce-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(new { from = "orders@shop.example", to = new[] { "ann@example.org", "bo@example.org" }, subject, text = "hello" }, key);
        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);
        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        return (id, mail.Parse().MessageId!);
    }

    private async Task<JsonElement> GetAsync(string id)
    {
        var context = fixture.NewContext(FunctionsFixture.AdminKey);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(await fixture.Function<GetMessageFunction>().Run(context.Request, id, CancellationToken.None), context);
        Assert.Equal(200, status);
        return body;
    }

    private async Task<List<JsonElement>> SuppressionsAsync(string messageId)
    {
        var context = fixture.NewContext(FunctionsFixture.AdminKey);
        var (_, body, _) = await FunctionsFixture.ExecuteAsync(await fixture.Function<ListSuppressionsFunction>().Run(context.Request, CancellationToken.None), context);
        return body.GetProperty("items").EnumerateArray().Where(s => s.GetProperty("messageId").GetString() == messageId).ToList();
    }

    private async Task<(int Status, JsonElement Body)> PostBounceAsync(string contentType, byte[] body, string key = FunctionsFixture.AdminKey)
    {
        var context = fixture.NewContext(key);
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Request.ContentType = contentType;
        var (status, answer, _) = await FunctionsFixture.ExecuteAsync(await fixture.Function<ReceiveBounceFunction>().Run(context.Request, CancellationToken.None), context);
        return (status, answer);
    }

    private async Task<string> PrometheusAsync()
    {
        var context = fixture.NewContext(FunctionsFixture.AdminKey);
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString("?format=prometheus");
        await fixture.Function<MetricsFunction>().Run(context.Request).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return await new StreamReader(context.Response.Body).ReadToEndAsync();
    }

    private static double Value(string exposition, string series) => PrometheusText.Value(exposition, series);

    private static IEnumerable<JsonElement> Events(JsonElement message, string type) =>
        message.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == type);
}
