using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Bridge.IntegrationTests;

/// <summary>sendAt, cancel and their race with delivery, through Bridge.Server, Azurite's queue and a real SMTP server.</summary>
[Collection(ServerCollection.Name)]
public sealed class SchedulingTests(ServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string Rfc3339(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static object Scheduled(string subject, DateTimeOffset? sendAt) => new
    {
        from = "orders@shop.example",
        to = new[] { "ann@example.org" },
        subject,
        text = "body of " + subject,
        sendAt = sendAt is { } at ? Rfc3339(at) : null,
    };

    private int Delivered(string subject) => fixture.Smtp.Received.Count(m => m.Parse().Subject == subject);

    private async Task<(HttpStatusCode Status, JsonElement Body)> CancelAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/messages/{id}");
        request.Headers.Authorization = new("Bearer", ServerFixture.ApiKey);
        using var response = await fixture.Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static DateTimeOffset EventAt(JsonElement status, string type) =>
        status.GetProperty("events").EnumerateArray().First(e => e.GetProperty("type").GetString() == type).GetProperty("at").GetDateTimeOffset();

    [Fact]
    public async Task Scheduled_message_is_not_sent_before_its_time_and_is_sent_then()
    {
        var subject = "scheduled " + Guid.NewGuid();
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(4);

        var (response, accepted) = await fixture.PostAsync(Scheduled(subject, sendAt));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("scheduled", accepted.GetProperty("status").GetString());
        var id = ServerFixture.Id(accepted);
        var waiting = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, _ => true, Patience);
        Assert.Equal("scheduled", waiting.GetProperty("status").GetString());
        Assert.Equal(["accepted", "scheduled"], ServerFixture.EventTypes(waiting));

        var sent = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed", Patience);

        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Equal(["accepted", "scheduled", "attempt", "sent"], ServerFixture.EventTypes(sent));
        // Not early: the worker took it no sooner than asked (stored times are milliseconds; sendAt was too).
        Assert.True(EventAt(sent, "attempt") >= sendAt.AddMilliseconds(-1), $"attempt at {EventAt(sent, "attempt"):O}, sendAt {sendAt:O}");
        Assert.Equal(1, Delivered(subject));
    }

    [Fact]
    public async Task SendAt_in_the_past_sends_now()
    {
        var subject = "past " + Guid.NewGuid();
        var (response, accepted) = await fixture.PostAsync(Scheduled(subject, DateTimeOffset.UtcNow.AddHours(-3)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        var sent = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, ServerFixture.Id(accepted), s => s is "sent" or "failed", Patience);
        Assert.Equal(["accepted", "attempt", "sent"], ServerFixture.EventTypes(sent));
    }

    [Theory]
    [InlineData("tomorrow at nine", "RFC 3339")]
    [InlineData("2026-12-24", "RFC 3339")]
    [InlineData("2026-12-24T09:00:00", "RFC 3339")]
    [InlineData("+8d", "at most 7 days")]
    public async Task Bad_sendAt_is_a_field_error_and_queues_nothing(string sendAt, string says)
    {
        if (sendAt == "+8d")
        {
            sendAt = Rfc3339(DateTimeOffset.UtcNow.AddDays(8));
        }

        var subject = "bad sendAt " + Guid.NewGuid();
        var (response, problem) = await fixture.PostAsync(new { from = "orders@shop.example", to = new[] { "ann@example.org" }, subject, text = "x", sendAt });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(says, problem.GetProperty("errors").GetProperty("sendAt")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sent_message_cannot_be_canceled_and_unknown_ids_are_not_found()
    {
        var id = ServerFixture.Id((await fixture.PostAsync(Scheduled("sent then cancel " + Guid.NewGuid(), null))).Body);
        await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent", Patience);

        var (status, problem) = await CancelAsync(id);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("urn:bridge:problem:not-cancelable", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await CancelAsync(new string('a', 32))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await CancelAsync("not-an-id")).Status);
    }
}
