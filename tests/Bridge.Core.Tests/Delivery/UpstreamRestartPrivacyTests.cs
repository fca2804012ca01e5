using Bridge.Core.Delivery;
using Bridge.Core.Secrets;
using Bridge.Core.Tests.Doctor;
using Bridge.Testing;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Tests.Delivery;

/// <summary>
/// A message's failure must only quote its own transaction. MailKit words a dropped connection as "unexpectedly
/// disconnected: " followed by the connection's last reply, which on a pooled connection is the previous
/// message's 250 (its queue id at the server).
/// </summary>
public sealed class UpstreamRestartPrivacyTests : IAsyncLifetime
{
    private TestSmtpServer smtp = null!;
    private SmtpSender sender = null!;

    public async Task InitializeAsync()
    {
        smtp = await StartAsync();
        var options = new SmtpOptions();
        options.Profiles["default"] = new SmtpProfile { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, TimeoutSeconds = 5 };
        var pool = new SmtpConnectionPool(
            new SecretCache(new ConfigurationSecretStore(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()), TimeProvider.System,
                Options.Create(new SecretCacheOptions())),
            Options.Create(new DeliveryOptions()), TimeProvider.System, new CapturingLogger<SmtpConnectionPool>());
        sender = new SmtpSender(pool, Options.Create(options));
    }

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    /// <summary>A server that answers each message's DATA with a queue id made from its subject.</summary>
    private static async Task<TestSmtpServer> StartAsync(TestSmtpServer? previous = null)
    {
        var server = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain, port: previous?.Port);
        server.OnData = mail => TestSmtpServer.Reply(250, "2.0.0 Ok: queued as Q" + mail.Parse().Subject);
        return server;
    }

    private Task<DeliveryResult> SendAsync(string subject)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "body" } };
        message.From.Add(MailboxAddress.Parse("orders@shop.example"));
        message.To.Add(MailboxAddress.Parse("ann@example.org"));
        return sender.SendAsync("default", message, "orders@shop.example", ["ann@example.org"], CancellationToken.None);
    }

    [Fact]
    public async Task Message_on_a_connection_the_restarted_server_dropped_does_not_quote_the_previous_message()
    {
        var first = Assert.IsType<DeliveryResult.Sent>(await SendAsync("first"));
        Assert.Contains("Qfirst", first.Reply.Reply);

        await smtp.DisposeAsync();
        smtp = await StartAsync(smtp);
        var second = await SendAsync("second");

        var failed = Assert.IsType<DeliveryResult.Failed>(second);
        Assert.Equal(FailureKind.Transient, failed.Failure.Kind);
        Assert.DoesNotContain("Qfirst", failed.Failure.Describe());
        Assert.Null(failed.Failure.Reply);

        // The pool threw the dead connection away: the next message opens a new one and goes.
        Assert.Contains("Qthird", Assert.IsType<DeliveryResult.Sent>(await SendAsync("third")).Reply.Reply);
    }

    [Fact]
    public async Task Message_cut_off_while_the_server_restarts_during_its_data_does_not_quote_the_previous_message()
    {
        Assert.IsType<DeliveryResult.Sent>(await SendAsync("before"));
        smtp.DropOnData = mail => mail.Parse().Subject == "during";

        var failed = Assert.IsType<DeliveryResult.Failed>(await SendAsync("during"));
        await smtp.DisposeAsync();
        smtp = await StartAsync(smtp);

        Assert.Equal(FailureKind.Transient, failed.Failure.Kind);
        Assert.DoesNotContain("Qbefore", failed.Failure.Describe());
        Assert.Contains("Qafter", Assert.IsType<DeliveryResult.Sent>(await SendAsync("after")).Reply.Reply);
    }
}
