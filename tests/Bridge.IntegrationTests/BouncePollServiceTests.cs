using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// Bridge.Server's hosted bounce poller, configured only through environment variables as a deployment would be: a DSN
/// that lands in the profile's bounce mailbox (a private Dovecot) after a send is recorded on the message within a poll.
/// </summary>
public sealed class BouncePollServiceTests : IAsyncLifetime
{
    private const string ApiKey = "bounce-key-0001";
    private const string Password = "pw-bounce-0001";

    private Azurite azurite = null!;
    private TestSmtpServer smtp = null!;
    private Dovecot imap = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, "relay@shop.example", Password);
        imap = await Dovecot.StartAsync(password: Password);
    }

    public async Task DisposeAsync()
    {
        await imap.DisposeAsync();
        await smtp.DisposeAsync();
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task A_dsn_in_the_profiles_bounce_mailbox_is_recorded_by_the_server_within_a_poll()
    {
        await using var server = new BridgeServerProcess(new Dictionary<string, string>(OwnServerSettings.For(azurite, smtp, ApiKey, Password))
        {
            ["Bridge__Bounces__PollSeconds"] = "15",
            ["Bridge__Smtp__Profiles__default__BounceMailbox__Host"] = "127.0.0.1",
            ["Bridge__Smtp__Profiles__default__BounceMailbox__Port"] = imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bridge__Smtp__Profiles__default__BounceMailbox__Security"] = "None",
            ["Bridge__Smtp__Profiles__default__BounceMailbox__AllowInsecureAuth"] = "true",
            ["Bridge__Smtp__Profiles__default__BounceMailbox__Username"] = imap.User,
            ["Bridge__Smtp__Profiles__default__BounceMailbox__PasswordSecret"] = "SmtpPassword",
        });
        await server.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages")
        {
            Content = JsonContent.Create(new { from = "orders@shop.example", to = new[] { "ann@example.org" }, subject = "bounce-poll", text = "x" }),
        };
        request.Headers.Authorization = new("Bearer", ApiKey);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await server.WaitForStatusAsync(ApiKey, id, s => s == "sent", TimeSpan.FromSeconds(40));
        var mail = await smtp.WaitForMailAsync(m => m.Parse().Subject == "bounce-poll", TimeSpan.FromSeconds(5));

        var uid = await imap.AppendAsync(Dsn.Parse(Dsn.Build(mail.Parse().MessageId, new Dsn.Failure("ann@example.org", "5.1.1", "550 5.1.1 unknown"))));

        // The next poll is at most PollSeconds away; the mail is flagged seen once it is recorded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (!await imap.IsSeenAsync(uid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.True(await imap.IsSeenAsync(uid), string.Join('\n', server.Output.TakeLast(30)));
        var bounced = await server.WaitForStatusAsync(ApiKey, id, _ => true, TimeSpan.FromSeconds(5));
        var events = bounced.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "bounced").ToList();
        Assert.Equal("ann@example.org", Assert.Single(events).GetProperty("recipient").GetString());
        Assert.Equal("sent", bounced.GetProperty("status").GetString());
    }
}
