using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// At-least-once delivery hands the same envelope over twice. A Bridge.Server of its own, on storage of its own,
/// so that an empty queue means every copy (and any copy put back to wait for the lease) has been handled: the
/// test waits for that instead of for a while.
/// </summary>
public sealed class RedeliveryTests : IAsyncLifetime
{
    private const string ApiKey = "redelivery-key-0001";
    private const string Password = "pw-redelivery-0001";

    private Azurite azurite = null!;
    private TestSmtpServer smtp = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, "relay@shop.example", Password);
    }

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task Redelivered_copy_of_a_sent_message_is_not_sent_again()
    {
        await using var server = new BridgeServerProcess(new Dictionary<string, string>(OwnServerSettings.For(azurite, smtp, ApiKey, Password))
        {
            ["Bridge__Delivery__SendingLease"] = "00:00:03",
        });
        await server.StartAsync();
        var direct = new DirectStorage(azurite);
        var subject = "duplicate-" + Guid.NewGuid();
        var envelope = await direct.CreateMessageAsync(subject);

        await direct.Outbox.SendAsync(envelope, TimeSpan.Zero, CancellationToken.None);
        await direct.Outbox.SendAsync(envelope, TimeSpan.Zero, CancellationToken.None);
        var status = await server.WaitForStatusAsync(ApiKey, envelope.Id, s => s is "sent" or "failed" or "poisoned", TimeSpan.FromMinutes(1));
        await OutboundQueue.WaitUntilEmptyAsync(azurite, TimeSpan.FromMinutes(1));

        Assert.Equal("sent", status.GetProperty("status").GetString());
        Assert.Single(smtp.Received, m => m.Parse().Subject == subject);
        var final = await server.WaitForStatusAsync(ApiKey, envelope.Id, s => s == "sent", TimeSpan.FromSeconds(10));
        Assert.Equal(["accepted", "attempt", "sent"], ServerFixture.EventTypes(final));
    }
}
