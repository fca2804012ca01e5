using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bridge.IntegrationTests;

/// <summary>
/// Profile Fallback through Bridge.Server with real upstreams: a closed port, a 421 and a TLS mismatch fail over to
/// a working backup; a recipient's 550 does not. Waits are for states, bounded generously; nothing depends on timing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FailoverTests(ServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static object Mail(string subject, string profile, string from = "orders@shop.example", string to = "ann@example.org") =>
        ServerFixture.Mail(subject, from: from, to: [to], profile: profile);

    private async Task<JsonElement> SendAndFinishAsync(object mail)
    {
        var (response, accepted) = await fixture.PostAsync(mail);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, ServerFixture.Id(accepted), s => s is "sent" or "failed" or "poisoned", Patience);
    }

    private static IReadOnlyList<(string? Type, string? Profile)> Events(JsonElement status) => status.GetProperty("events").EnumerateArray()
        .Select(e => (e.GetProperty("type").GetString(), e.TryGetProperty("profile", out var p) ? p.GetString() : null)).ToList();

    [Theory]
    [InlineData("closedport", "tempfail-unused@shop.example")]
    [InlineData("says421", "tempfail-421@shop.example")]
    [InlineData("tlsmismatch", "orders@shop.example")]
    public async Task Failing_profile_fails_over_to_its_backup_and_events_name_both(string profile, string from)
    {
        var subject = $"failover {profile} {Guid.NewGuid()}";

        var status = await SendAndFinishAsync(Mail(subject, profile, from));

        Assert.Equal("sent", status.GetProperty("status").GetString());
        Assert.Equal([("accepted", null), ("attempt", profile), ("attempt", "backup"), ("sent", "backup")], Events(status));
        var failover = status.GetProperty("events")[2].GetProperty("detail").GetString()!;
        Assert.Contains($"'{profile}' failed", failover, StringComparison.Ordinal);
        await fixture.Backup.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        Assert.Equal(0, fixture.Refusing.Received.Count(m => m.Parse().Subject == subject));
    }

    [Fact]
    public async Task Recipient_550_fails_the_message_without_trying_the_backup()
    {
        var subject = "no failover on 550 " + Guid.NewGuid();

        var status = await SendAndFinishAsync(Mail(subject, "rejects550", to: "nosuchuser@example.org"));

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal([("accepted", null), ("attempt", "rejects550"), ("failed", "rejects550")], Events(status));
        Assert.Equal(550, status.GetProperty("events")[2].GetProperty("smtp").GetProperty("code").GetInt32());
        Assert.Equal(0, fixture.Backup.Received.Count(m => m.Parse().Subject == subject));
    }

    [Fact]
    public async Task Health_lists_the_open_circuit_of_a_profile_that_failed()
    {
        var status = await SendAndFinishAsync(Mail("circuit " + Guid.NewGuid(), "closedport"));
        Assert.Equal("sent", status.GetProperty("status").GetString());

        var health = await fixture.Server.Http.GetFromJsonAsync<JsonElement>("api/health");

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Contains("closedport", health.GetProperty("openCircuits").EnumerateArray().Select(p => p.GetString()));
        Assert.DoesNotContain("backup", health.GetProperty("openCircuits").EnumerateArray().Select(p => p.GetString()));
    }
}
