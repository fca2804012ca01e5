using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// The suppression and bounce routes through Bridge.Server's own HTTP stack (Kestrel, routing, the addresses in the
/// path) and its queue listener: an admin suppresses an address, a send skips it, a DSN posted for the message is recorded.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SuppressionsAndBouncesTests(ServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_suppressed_address_is_skipped_and_a_bounce_posted_for_the_message_is_recorded()
    {
        var gone = $"gone-{Guid.NewGuid():N}@example.org";
        var (put, added) = await SendAsync(HttpMethod.Put, $"api/v1/suppressions/{gone}?key=app");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("app", added.GetProperty("key").GetString());

        var subject = "suppressed-" + Guid.NewGuid();
        var (accepted, body) = await fixture.PostAsync(ServerFixture.Mail(subject, to: [gone, "ann@example.org"]));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = ServerFixture.Id(body);
        var sent = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed", Patience);
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Contains("suppressed", ServerFixture.EventTypes(sent));
        var mail = await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(5));
        Assert.Equal(["ann@example.org"], mail.To);

        using var dsn = new ByteArrayContent(Dsn.Build(mail.Parse().MessageId, new Dsn.Failure("ann@example.org", "5.2.1", "550 5.2.1 account disabled")));
        dsn.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var (posted, bounce) = await SendAsync(HttpMethod.Post, "api/v1/bounces", dsn);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("recorded", bounce.GetProperty("outcome").GetString());
        var bounced = await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, _ => true, Patience);
        Assert.Contains("bounced", ServerFixture.EventTypes(bounced));

        var (listed, list) = await SendAsync(HttpMethod.Get, "api/v1/suppressions?key=app&email=ann@EXAMPLE.org");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal("bounce", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, $"api/v1/suppressions/{gone}?key=app")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "api/v1/suppressions/ann@example.org?key=app")).Response.StatusCode);
        var (again, problem) = await SendAsync(HttpMethod.Delete, $"api/v1/suppressions/{gone}?key=app");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:bridge:problem:not-found", problem.GetProperty("type").GetString());
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new("Bearer", ServerFixture.AdminKey);
        var response = await fixture.Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
