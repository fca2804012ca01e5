using System.Net;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// A worker process killed (SIGKILL) in the middle of a batch, then started again. Messages the
/// dead process had received come back only when their queue visibility runs out: 10 minutes as the
/// WebJobs listener (and Azure Functions) fix it, here 20 s through <c>Bridge:Queue:ListenerLease</c>,
/// which is what lets this test finish in about a minute rather than over ten.
/// Skip it while iterating with <c>--filter "Category!=Slow"</c>; CI runs it.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const string ApiKey = "crash-key-0001";
    private const int MessageCount = 40;

    private Azurite azurite = null!;
    private TestSmtpServer smtp = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.StartTls, "relay@shop.example", "pw-crash-0001");
        smtp.DataDelay = TimeSpan.FromMilliseconds(150);
    }

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        await azurite.DisposeAsync();
    }

    private Dictionary<string, string> Environment() => new(OwnServerSettings.For(azurite, smtp, ApiKey, "pw-crash-0001"))
    {
        ["Bridge__Delivery__SendingLease"] = "00:00:05",
        ["Bridge__Queue__ListenerLease"] = ListenerLease.ToString(),
    };

    private static readonly TimeSpan ListenerLease = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_accepted_message_ends_sent_after_a_kill_and_restart_and_any_duplicate_is_recorded()
    {
        var ids = new List<string>();
        await using (var first = new BridgeServerProcess(Environment()))
        {
            await first.StartAsync();
            for (var i = 0; i < MessageCount; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new
                    {
                        from = "orders@shop.example", to = new[] { "ann@example.org" }, subject = $"crash-{i:D3}", text = "x",
                    }),
                };
                request.Headers.Authorization = new("Bearer", ApiKey);
                using var response = await first.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
            }

            while (smtp.Received.Count < 5)
            {
                await Task.Delay(20);
            }

            await first.KillAsync();
        }

        var deliveredBeforeKill = smtp.Received.Count;
        Assert.True(deliveredBeforeKill < MessageCount, "the kill must land mid-batch");

        await using var second = new BridgeServerProcess(Environment());
        await second.StartAsync();
        var finals = new List<JsonElement>();
        foreach (var id in ids)
        {
            finals.Add(await second.WaitForStatusAsync(ApiKey, id, s => s is "sent" or "failed" or "poisoned", ListenerLease + TimeSpan.FromMinutes(2)));
        }

        Assert.All(finals, f => Assert.Equal("sent", f.GetProperty("status").GetString()));
        foreach (var final in finals)
        {
            var subject = final.GetProperty("subject").GetString();
            var copies = smtp.Received.Count(m => m.Parse().Subject == subject);
            var recorded = final.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("type").GetString() == "possible-duplicate");
            Assert.True(copies == 1 || (copies == 2 && recorded), $"{subject}: {copies} copies, possible-duplicate recorded: {recorded}");
        }
    }
}
