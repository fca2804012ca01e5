using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// A message's metadata through Bridge.Server: kept as sent by every way in (the API, a batch, SendGrid's custom args,
/// Postmark's Metadata), returned by GET and carried by each callback; metadata over a limit is a 400 naming it, and queues nothing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MetadataTests(ServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private static Dictionary<string, string> Metadata(JsonElement message) =>
        message.GetProperty("metadata").Deserialize<Dictionary<string, string>>()!;

    private async Task<JsonElement> GetAsync(string id, string apiKey = ServerFixture.ApiKey) =>
        await fixture.Server.WaitForMessageAsync(apiKey, id, _ => true, Patience);

    [Fact]
    public async Task Metadata_sent_by_the_api_a_batch_and_postmark_comes_back_in_get_and_none_is_an_empty_object()
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        var metadata = new Dictionary<string, string> { ["orderId"] = "42", ["customer"] = "Zoë \"Z\" <z@example.org>" };
        var single = ServerFixture.Id((await fixture.PostAsync(new
        {
            from = "orders@shop.example", to = new[] { "ann@example.org" }, subject = $"metadata {run}", text = "x", metadata,
        })).Body);
        var plain = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail($"no metadata {run}"))).Body);
        var (_, batch) = await fixture.PostAsync(new
        {
            messages = new[] { new { from = "orders@shop.example", to = new[] { "bo@example.org" }, subject = $"batch metadata {run}", text = "x", metadata } },
        }, path: "api/v1/messages/batch");
        using var postmark = new HttpRequestMessage(HttpMethod.Post, "api/compat/postmark/email")
        {
            Content = JsonContent.Create(new
            {
                From = "orders@shop.example", To = "cy@example.org", Subject = $"postmark metadata {run}", TextBody = "x", Metadata = metadata,
            }),
        };
        postmark.Headers.Add("X-Postmark-Server-Token", ServerFixture.ApiKey);
        using var postmarked = await fixture.Server.Http.SendAsync(postmark);
        var postmarkId = (await postmarked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("MessageID").GetString()!;

        Assert.Equal(metadata, Metadata(await GetAsync(single)));
        Assert.Equal(metadata, Metadata(await GetAsync(batch.GetProperty("results")[0].GetProperty("id").GetString()!)));
        Assert.Equal(metadata, Metadata(await GetAsync(postmarkId)));
        Assert.Equal(JsonValueKind.Object, (await GetAsync(plain)).GetProperty("metadata").ValueKind);
        Assert.Empty(Metadata(await GetAsync(plain)));
    }

    [Fact]
    public async Task SendGrid_custom_args_come_back_in_get_and_in_every_signed_callback()
    {
        var subject = "sendgrid metadata " + Guid.NewGuid();
        var (response, _) = await fixture.PostAsync(new
        {
            personalizations = new[] { new { to = new[] { new { email = "ann@example.org" } }, custom_args = new { orderId = "42" } } },
            from = new { email = "orders@shop.example" }, subject, content = new[] { new { type = "text/plain", value = "x" } },
            categories = new[] { "orders" }, custom_args = new { orderId = "0", campaign = "winter" },
        }, ServerFixture.CallbackKey, "api/compat/sendgrid/v3/mail/send");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = response.Headers.GetValues("X-Message-Id").Single();

        // The receiver's /flaky path answers 500 first: the retry carries the first attempt's body, so both must hold it.
        var message = await fixture.Server.WaitForMessageAsync(ServerFixture.CallbackKey, id,
            m => m.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "callback") >= 2, Patience);
        var received = fixture.Callbacks.Received.Where(r => r.Id?.StartsWith($"msg_{id}_", StringComparison.Ordinal) == true).ToList();

        // The personalization's custom args win over the mail's, as SendGrid merges them.
        var expected = new Dictionary<string, string> { ["orderId"] = "42", ["campaign"] = "winter" };
        Assert.Equal(expected, Metadata(message));
        Assert.Equal(2, received.Count);
        Assert.All(received, r =>
        {
            Assert.True(r.SignatureValid);
            var data = JsonDocument.Parse(r.Body).RootElement.GetProperty("data");
            Assert.Equal(expected, Metadata(data));
            Assert.Equal(new[] { "orders" }, data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        });
    }

    [Fact]
    public async Task Metadata_over_a_limit_is_a_400_naming_it_and_nothing_is_queued()
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        object Mail(object metadata) => new
        {
            from = "orders@shop.example", to = new[] { "ann@example.org" }, subject = $"bad metadata {run}", text = "x", tags = new[] { run }, metadata,
        };
        var cases = new (string Case, object Metadata, string Says)[]
        {
            ("a null value", new Dictionary<string, string?> { ["orderId"] = null }, "not null"),
            ("21 entries", Enumerable.Range(0, 21).ToDictionary(i => $"k{i}", _ => "v"), "at most 20 entries"),
            ("a 129-character key", new Dictionary<string, string> { [new string('k', 129)] = "v" }, "keys must be 1 to 128"),
            ("a 1,025-character value", new Dictionary<string, string> { ["k"] = new string('v', 1025) }, "values at most 1024"),
            ("10 values of 1,000 characters", Enumerable.Range(0, 10).ToDictionary(i => $"k{i}", _ => new string('v', 1000)), "at most 10000 characters in all"),
        };
        foreach (var (name, metadata, says) in cases)
        {
            var (response, problem) = await fixture.PostAsync(Mail(metadata));

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {problem}");
            var errors = problem.GetProperty("errors").GetProperty("metadata");
            Assert.True(errors[0].GetString()!.Contains(says, StringComparison.Ordinal), $"{name}: {problem}");
        }

        var (sendGrid, answer) = await fixture.PostAsync(new
        {
            personalizations = new[] { new { to = new[] { new { email = "ann@example.org" } } } },
            from = new { email = "orders@shop.example" }, subject = $"bad custom args {run}", content = new[] { new { type = "text/plain", value = "x" } },
            categories = new[] { run }, custom_args = Enumerable.Range(0, 21).ToDictionary(i => $"k{i}", _ => "v"),
        }, path: "api/compat/sendgrid/v3/mail/send");
        Assert.Equal(HttpStatusCode.BadRequest, sendGrid.StatusCode);
        Assert.Equal("custom_args", answer.GetProperty("errors")[0].GetProperty("field").GetString());

        Assert.Equal(0, await DropInClientTests.CountTaggedAsync(fixture, run));
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.PostAsync(Mail(new Dictionary<string, string> { ["k"] = "v" }))).Response.StatusCode);
        Assert.Equal(1, await DropInClientTests.CountTaggedAsync(fixture, run));
    }
}
