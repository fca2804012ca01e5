using System.Text.Json;

namespace Bridge.Functions.Tests;

[Collection(FunctionsCollection.Name)]
public sealed class HookFunctionTests(HookFixture hooks) : IClassFixture<HookFixture>
{
    private static string Issue(string title, string action = "opened") => JsonSerializer.Serialize(new
    {
        action,
        issue = new { number = 7, title, html_url = "https://github.com/acme/shop/issues/7" },
        repository = new { full_name = "acme/shop" },
        sender = new { login = "ann" },
    });

    private static string Checkout(string eventId, string email) => JsonSerializer.Serialize(new
    {
        id = eventId,
        type = "checkout.session.completed",
        data = new { @object = new { id = "cs_test_" + eventId[4..], amount_total = 2599, currency = "eur", customer_details = new { email } } },
    });

    [Fact]
    public async Task Signed_GitHub_issue_is_queued_and_delivered_with_the_rendered_subject_and_escaped_html()
    {
        var title = "Crash <img src=x onerror=alert(1)> " + Guid.NewGuid().ToString("N")[..8];
        var body = Issue(title);

        var (status, answer, headers) = await hooks.PostAsync("github", body, HookFixture.GitHubHeaders(body, Guid.NewGuid().ToString()));

        Assert.Equal(202, status);
        var id = answer.GetProperty("id").GetString()!;
        Assert.Equal("queued", answer.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/messages/{id}", headers.Location.ToString());

        await hooks.DeliverAsync(id);
        var mail = await hooks.Functions.Smtp.WaitForMailAsync(m => m.Parse().Subject == $"[acme/shop] #7 {title}", TimeSpan.FromSeconds(10));
        var message = mail.Parse();
        Assert.Equal("bot@shop.example", mail.From);
        Assert.Equal(["ops@shop.example"], mail.To);
        Assert.Equal("ann opened https://github.com/acme/shop/issues/7", message.TextBody?.Trim());
        Assert.Contains("Crash &lt;img src=x onerror=alert(1)&gt;", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redelivered_GitHub_delivery_gets_the_first_message_and_queues_nothing_new()
    {
        var body = Issue("Redelivered " + Guid.NewGuid());
        var headers = HookFixture.GitHubHeaders(body, Guid.NewGuid().ToString());
        var (_, first, _) = await hooks.PostAsync("github", body, headers);
        var queued = await hooks.QueuedCountAsync();

        var (status, again, _) = await hooks.PostAsync("github", body, headers);

        Assert.Equal(202, status);
        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal(queued, await hooks.QueuedCountAsync());
    }

    [Fact]
    public async Task Wrong_signature_is_401_bad_signature_and_queues_nothing()
    {
        var body = Issue("Forged " + Guid.NewGuid());
        var queued = await hooks.QueuedCountAsync();

        var (status, answer, headers) = await hooks.PostAsync("github", body, HookFixture.GitHubHeaders(body, Guid.NewGuid().ToString(), secret: "guessed"));

        Assert.Equal(401, status);
        Assert.Equal("urn:bridge:problem:bad-signature", answer.GetProperty("type").GetString());
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Equal(queued, await hooks.QueuedCountAsync());
    }

    [Fact]
    public async Task Missing_signature_is_401()
    {
        var body = Issue("Unsigned");

        var (status, answer, _) = await hooks.PostAsync("github", body, [("X-GitHub-Event", "issues"), ("X-GitHub-Delivery", Guid.NewGuid().ToString())]);

        Assert.Equal(401, status);
        Assert.Contains("X-Hub-Signature-256", answer.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_hook_is_404_shaped_like_any_other_not_found()
    {
        var (status, answer, _) = await hooks.PostAsync("gitlab", "{}", []);
        var context = hooks.Functions.NewContext(FunctionsFixture.SenderKey);
        var (_, messageNotFound, _) = await FunctionsFixture.ExecuteAsync(
            await hooks.Functions.Function<GetMessageFunction>().Run(context.Request, "no-such-message", CancellationToken.None), context);

        Assert.Equal(404, status);
        Assert.Equal(messageNotFound.EnumerateObject().Select(p => p.Name), answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(messageNotFound.GetProperty("type").GetString(), answer.GetProperty("type").GetString());
        Assert.DoesNotContain("github", answer.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Payload_without_a_field_the_templates_need_is_422_naming_it()
    {
        var body = JsonSerializer.Serialize(new { action = "opened", issue = new { number = 8, title = "No url" }, repository = new { full_name = "acme/shop" }, sender = new { login = "ann" } });
        var queued = await hooks.QueuedCountAsync();

        var (status, answer, _) = await hooks.PostAsync("github", body, HookFixture.GitHubHeaders(body, Guid.NewGuid().ToString()));

        Assert.Equal(422, status);
        Assert.Equal("urn:bridge:problem:template-failed", answer.GetProperty("type").GetString());
        Assert.Contains("payload.issue.html_url", answer.GetProperty("errors").GetProperty("text")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(queued, await hooks.QueuedCountAsync());
    }

    [Theory]
    [InlineData("ping", "opened")]
    [InlineData("issues", "closed")]
    public async Task Event_the_condition_passes_over_is_202_ignored_and_queues_nothing(string eventName, string action)
    {
        var body = Issue("Ignored", action);
        var queued = await hooks.QueuedCountAsync();

        var (status, answer, _) = await hooks.PostAsync("github", body, HookFixture.GitHubHeaders(body, Guid.NewGuid().ToString(), eventName));

        Assert.Equal(202, status);
        Assert.Equal("ignored", answer.GetProperty("status").GetString());
        Assert.Equal(queued, await hooks.QueuedCountAsync());
    }

    [Fact]
    public async Task Stripe_retry_signed_anew_is_recognised_by_its_event_id_and_sends_once()
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var body = Checkout(eventId, "buyer@example.org");
        var (status, first, _) = await hooks.PostAsync("stripe", body, HookFixture.StripeHeaders(body, DateTimeOffset.UtcNow.AddSeconds(-60)));
        Assert.Equal(202, status);
        var queued = await hooks.QueuedCountAsync();

        var (_, retried, _) = await hooks.PostAsync("stripe", body, HookFixture.StripeHeaders(body, DateTimeOffset.UtcNow));

        var id = first.GetProperty("id").GetString()!;
        Assert.Equal(id, retried.GetProperty("id").GetString());
        Assert.Equal(queued, await hooks.QueuedCountAsync());
        await hooks.DeliverAsync(id);
        var mail = await hooks.Functions.Smtp.WaitForMailAsync(m => m.Parse().Subject == $"Thanks for your order cs_test_{eventId[4..]}", TimeSpan.FromSeconds(10));
        Assert.Equal(["buyer@example.org"], mail.To);
        Assert.Equal("We received 25.99 EUR.", mail.Parse().TextBody?.Trim());
    }

    [Fact]
    public async Task Stripe_delivery_signed_too_long_ago_is_401()
    {
        var body = Checkout("evt_" + Guid.NewGuid().ToString("N"), "buyer@example.org");

        var (status, answer, _) = await hooks.PostAsync("stripe", body, HookFixture.StripeHeaders(body, DateTimeOffset.UtcNow.AddMinutes(-6)));

        Assert.Equal(401, status);
        Assert.Contains("old", answer.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_in_the_query_string_admits_a_form_and_the_hooks_sender_rule_applies()
    {
        var allowed = JsonSerializer.Serialize(new { from = "forms@shop.example", subject = "Contact", message = "Hello" });
        var forged = JsonSerializer.Serialize(new { from = "ceo@bank.example", subject = "Contact", message = "Wire money" });

        var (okStatus, _, _) = await hooks.PostAsync("forms", allowed, [], "?token=" + HookFixture.FormToken);
        var (wrongTokenStatus, _, _) = await hooks.PostAsync("forms", allowed, [], "?token=guess");
        var (forbiddenStatus, forbidden, _) = await hooks.PostAsync("forms", forged, [], "?token=" + HookFixture.FormToken);

        Assert.Equal(202, okStatus);
        Assert.Equal(401, wrongTokenStatus);
        Assert.Equal(403, forbiddenStatus);
        Assert.Equal("urn:bridge:problem:sender-not-allowed", forbidden.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Body_over_the_size_limit_is_413_before_it_is_read() =>
        Assert.Equal(413, (await hooks.PostAsync("github", "{}", [], contentLength: 100L * 1024 * 1024)).Status);

    [Fact]
    public async Task Signed_body_that_is_not_json_is_400_bad_json()
    {
        const string body = "payload=%7B%7D";

        var (status, answer, _) = await hooks.PostAsync("github", body, HookFixture.GitHubHeaders(body, Guid.NewGuid().ToString()));

        Assert.Equal(400, status);
        Assert.Equal("urn:bridge:problem:bad-json", answer.GetProperty("type").GetString());
    }
}
