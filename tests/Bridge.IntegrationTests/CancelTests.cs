using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// Cancel against the queue copy that comes at sendAt anyway, through a Bridge.Server of its own: with storage no
/// other test shares, an empty outbound queue says every copy has been handled, so "never sent" means something.
/// </summary>
public sealed class CancelTests : IAsyncLifetime
{
    private const string ApiKey = "cancel-key-0001";
    private const string Password = "pw-cancel-0001";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private Azurite azurite = null!;
    private TestSmtpServer smtp = null!;
    private BridgeServerProcess server = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, "relay@shop.example", Password);
        server = new BridgeServerProcess(OwnServerSettings.For(azurite, smtp, ApiKey, Password));
        await server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await smtp.DisposeAsync();
        await azurite.DisposeAsync();
    }

    private int Delivered(string subject) => smtp.Received.Count(m => m.Parse().Subject == subject);

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(object mail)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages") { Content = JsonContent.Create(mail) };
        request.Headers.Authorization = new("Bearer", ApiKey);
        var response = await server.Http.SendAsync(request);
        return (response, (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> CancelAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/messages/{id}");
        request.Headers.Authorization = new("Bearer", ApiKey);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static object Scheduled(string subject, DateTimeOffset sendAt) => new
    {
        from = "orders@shop.example",
        to = new[] { "ann@example.org" },
        subject,
        text = "body of " + subject,
        sendAt = sendAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Canceled_scheduled_message_is_never_sent_and_a_second_cancel_agrees()
    {
        var subject = "cancel " + Guid.NewGuid();
        var id = ServerFixture.Id((await PostAsync(Scheduled(subject, DateTimeOffset.UtcNow.AddSeconds(3)))).Body);

        var (status, body) = await CancelAsync(id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("canceled", body.GetProperty("status").GetString());
        await OutboundQueue.WaitUntilEmptyAsync(azurite, Patience); // its copy came at sendAt and was skipped
        var final = await server.WaitForStatusAsync(ApiKey, id, _ => true, Patience);
        Assert.Equal("canceled", final.GetProperty("status").GetString());
        Assert.Equal(["accepted", "scheduled", "canceled"], ServerFixture.EventTypes(final));
        Assert.Equal(0, Delivered(subject));
        Assert.Equal(HttpStatusCode.OK, (await CancelAsync(id)).Status);
    }

    /// <summary>
    /// Cancels race the worker's claim: messages due at the same moment are canceled the moment the worker starts on
    /// the first of them. Whatever the interleaving, each ends either canceled and never sent, or sent exactly once
    /// with the cancel refused.
    /// </summary>
    [Fact]
    public async Task Cancel_racing_delivery_ends_in_exactly_one_of_them()
    {
        const int count = 16;
        var tag = Guid.NewGuid().ToString("N");
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var ids = new List<(string Id, string Subject)>();
        for (var i = 0; i < count; i++)
        {
            var subject = $"race {tag} {i}";
            ids.Add((ServerFixture.Id((await PostAsync(Scheduled(subject, sendAt))).Body), subject));
        }

        // Fire when the worker has begun on the group: the first of them has left the scheduled state.
        await server.WaitForStatusAsync(ApiKey, ids[0].Id, s => s != "scheduled", Patience);
        var cancels = await Task.WhenAll(ids.Select(m => CancelAsync(m.Id)));
        await OutboundQueue.WaitUntilEmptyAsync(azurite, Patience); // every copy, canceled or not, has been handled

        for (var i = 0; i < count; i++)
        {
            var (id, subject) = ids[i];
            if (cancels[i].Status == HttpStatusCode.OK)
            {
                var final = await server.WaitForStatusAsync(ApiKey, id, _ => true, Patience);
                Assert.Equal("canceled", final.GetProperty("status").GetString());
                Assert.Equal(0, Delivered(subject));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, cancels[i].Status);
                var final = await server.WaitForStatusAsync(ApiKey, id, s => s is "sent" or "failed" or "canceled", Patience);
                Assert.Equal("sent", final.GetProperty("status").GetString());
                Assert.DoesNotContain("canceled", ServerFixture.EventTypes(final));
                Assert.Equal(1, Delivered(subject));
            }
        }
    }
}
