using System.Text.Json;
using Bridge.Testing;
using Microsoft.AspNetCore.Http;

namespace Bridge.Functions.Tests;

/// <summary>
/// Suppressions end to end through the Functions app: a real SMTP server refuses a recipient, the next message of the
/// same key skips it, and the admin routes list, add and remove them.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class SuppressionTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task Recipient_refused_with_550_5_1_1_is_suppressed_and_the_next_message_skips_it_and_delivers_to_the_rest()
    {
        var gone = $"gone-{Guid.NewGuid():N}@example.org";
        fixture.Smtp.OnRcptTo = to => to == gone ? TestSmtpServer.Reply(550, "5.1.1 <" + gone + ">: Recipient address rejected: User unknown") : null;
        try
        {
            var first = await SendAndDeliverAsync([gone, "ann@example.org"]);
            Assert.Equal("sent", first.GetProperty("status").GetString());

            var listed = await ListAsync($"?key=sender&email={gone}");
            var suppression = Assert.Single(listed.GetProperty("items").EnumerateArray());
            Assert.Equal("sender", suppression.GetProperty("key").GetString());
            Assert.Equal("smtp", suppression.GetProperty("reason").GetString());
            Assert.Equal("5.1.1", suppression.GetProperty("status").GetString());
            Assert.Equal(first.GetProperty("id").GetString(), suppression.GetProperty("messageId").GetString());

            // The same mailbox with its domain in other case, beside an address that is fine.
            var upper = gone.Replace("@example.org", "@EXAMPLE.Org", StringComparison.Ordinal);
            var subject = "after-suppression-" + Guid.NewGuid();
            var second = await SendAndDeliverAsync([upper, "bo@example.org"], subject);

            Assert.Equal("sent", second.GetProperty("status").GetString());
            var skipped = Assert.Single(Events(second, "suppressed"));
            Assert.Equal(upper, skipped.GetProperty("recipient").GetString());
            Assert.Contains("sender", skipped.GetProperty("detail").GetString());
            var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
            Assert.Equal(["bo@example.org"], mail.To);
        }
        finally
        {
            fixture.Smtp.OnRcptTo = null;
        }
    }

    [Fact]
    public async Task A_policy_refusal_5_7_1_is_recorded_but_does_not_suppress()
    {
        var blocked = $"blocked-{Guid.NewGuid():N}@example.org";
        fixture.Smtp.OnRcptTo = to => to == blocked ? TestSmtpServer.Reply(554, "5.7.1 <" + blocked + ">: Relay access denied") : null;
        try
        {
            var message = await SendAndDeliverAsync([blocked, "ann@example.org"]);

            var rejected = Assert.Single(Events(message, "rejected"));
            Assert.Equal(554, rejected.GetProperty("smtp").GetProperty("code").GetInt32());
            Assert.Empty((await ListAsync($"?email={blocked}")).GetProperty("items").EnumerateArray());
        }
        finally
        {
            fixture.Smtp.OnRcptTo = null;
        }
    }

    [Fact]
    public async Task A_mailbox_error_after_data_suppresses_the_one_recipient()
    {
        var full = $"full-{Guid.NewGuid():N}@example.org";
        fixture.Smtp.OnData = mail => mail.To.Contains(full) ? TestSmtpServer.Reply(552, "5.2.2 Mailbox full") : null;
        try
        {
            var message = await SendAndDeliverAsync([full]);

            Assert.Equal("failed", message.GetProperty("status").GetString());
            var suppression = Assert.Single((await ListAsync($"?key=sender&email={full}")).GetProperty("items").EnumerateArray());
            Assert.Equal("5.2.2", suppression.GetProperty("status").GetString());
        }
        finally
        {
            fixture.Smtp.OnData = null;
        }
    }

    [Fact]
    public async Task A_message_whose_every_recipient_is_suppressed_ends_failed_and_nothing_is_sent()
    {
        var one = $"one-{Guid.NewGuid():N}@example.org";
        var two = $"two-{Guid.NewGuid():N}@example.org";
        Assert.Equal(200, (await PutAsync(one, "?key=sender")).Status);
        Assert.Equal(200, (await PutAsync(two, "?key=sender")).Status);
        var sessions = fixture.Smtp.Received.Count;

        var message = await SendAndDeliverAsync([one, two]);

        Assert.Equal("failed", message.GetProperty("status").GetString());
        Assert.Equal([one, two], Events(message, "suppressed").Select(e => e.GetProperty("recipient").GetString()));
        Assert.Contains("every recipient is suppressed", Assert.Single(Events(message, "failed")).GetProperty("detail").GetString());
        Assert.Equal(sessions, fixture.Smtp.Received.Count);
    }

    [Fact]
    public async Task Suppressions_belong_to_their_key_and_can_be_removed()
    {
        var address = $"shared-{Guid.NewGuid():N}@example.org";
        var (status, added) = await PutAsync(address.ToUpperInvariant().Replace("EXAMPLE.ORG", "Example.org", StringComparison.Ordinal), "?key=other");
        Assert.Equal(200, status);
        Assert.Equal("manual", added.GetProperty("reason").GetString());
        Assert.Equal("other", added.GetProperty("key").GetString());

        // The sender key is not affected by the other key's suppression.
        var message = await SendAndDeliverAsync([address.ToUpperInvariant().Replace("EXAMPLE.ORG", "example.org", StringComparison.Ordinal)]);
        Assert.Equal("sent", message.GetProperty("status").GetString());
        Assert.Empty(Events(message, "suppressed"));

        var upper = address.ToUpperInvariant().Replace("EXAMPLE.ORG", "example.org", StringComparison.Ordinal);
        Assert.Single((await ListAsync($"?email={upper}")).GetProperty("items").EnumerateArray());
        Assert.Empty((await ListAsync($"?email={upper}&key=sender")).GetProperty("items").EnumerateArray());

        var (removedStatus, removed) = await DeleteAsync(upper, "");
        Assert.Equal(200, removedStatus);
        Assert.Equal(1, removed.GetProperty("removed").GetInt32());
        Assert.Empty((await ListAsync($"?email={upper}")).GetProperty("items").EnumerateArray());
        Assert.Equal(404, (await DeleteAsync(upper, "")).Status);
    }

    [Fact]
    public async Task Bad_requests_to_the_suppression_routes_are_problems_not_changes()
    {
        var address = $"bad-{Guid.NewGuid():N}@example.org";

        Assert.Equal(401, (await CallAsync<AddSuppressionFunction>(null, address, "?key=sender")).Status);
        Assert.Equal(403, (await CallAsync<AddSuppressionFunction>(FunctionsFixture.SenderKey, address, "?key=sender")).Status);
        var (noKey, noKeyBody) = await PutAsync(address, "");
        Assert.Equal(400, noKey);
        Assert.True(noKeyBody.GetProperty("errors").TryGetProperty("key", out _));
        Assert.Equal(400, (await PutAsync(address, "?key=nobody")).Status);
        var (notAddress, notAddressBody) = await PutAsync("not-an-address", "?key=sender");
        Assert.Equal(400, notAddress);
        Assert.True(notAddressBody.GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal(400, (await ListAsync("?email=nope", expect: 400)).GetProperty("status").GetInt32());

        Assert.Empty((await ListAsync($"?email={address}")).GetProperty("items").EnumerateArray());
    }

    private async Task<JsonElement> SendAndDeliverAsync(IReadOnlyList<string> to, string? subject = null)
    {
        var id = await fixture.AcceptAsync(new { from = "orders@shop.example", to, subject = subject ?? "suppression-" + Guid.NewGuid(), text = "hello" });
        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);
        var context = fixture.NewContext(FunctionsFixture.SenderKey);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(await fixture.Function<GetMessageFunction>().Run(context.Request, id, CancellationToken.None), context);
        Assert.Equal(200, status);
        return body;
    }

    private static IEnumerable<JsonElement> Events(JsonElement message, string type) =>
        message.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == type);

    private async Task<JsonElement> ListAsync(string query, int expect = 200)
    {
        var context = Admin(query);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(await fixture.Function<ListSuppressionsFunction>().Run(context.Request, CancellationToken.None), context);
        Assert.Equal(expect, status);
        return body;
    }

    private Task<(int Status, JsonElement Body)> PutAsync(string email, string query) => CallAsync<AddSuppressionFunction>(FunctionsFixture.AdminKey, email, query);

    private Task<(int Status, JsonElement Body)> DeleteAsync(string email, string query) => CallAsync<RemoveSuppressionFunction>(FunctionsFixture.AdminKey, email, query);

    private async Task<(int Status, JsonElement Body)> CallAsync<T>(string? key, string email, string query) where T : class
    {
        var context = fixture.NewContext(key);
        context.Request.QueryString = new QueryString(query);
        var function = fixture.Function<T>();
        var result = function switch
        {
            AddSuppressionFunction add => await add.Run(context.Request, email, CancellationToken.None),
            RemoveSuppressionFunction remove => await remove.Run(context.Request, email, CancellationToken.None),
            _ => throw new ArgumentException(typeof(T).Name),
        };
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(result, context);
        return (status, body);
    }

    private HttpContext Admin(string query)
    {
        var context = fixture.NewContext(FunctionsFixture.AdminKey);
        context.Request.QueryString = new QueryString(query);
        return context;
    }
}
