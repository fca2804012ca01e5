using System.Net.Http.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// Bridge.Server exporting OTLP as it would in production: the caller's trace continues through the request,
/// the queue and the WebJobs listener to the SMTP reply, and the spans and metrics reach the receiver.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TelemetryExportTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_callers_trace_continues_through_the_queue_to_the_smtp_reply_and_reaches_the_otlp_endpoint()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        const string callerSpan = "00f067aa0ba902b7";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages")
        {
            Content = JsonContent.Create(ServerFixture.Mail("otlp-" + Guid.NewGuid())),
        };
        request.Headers.Authorization = new("Bearer", ServerFixture.ApiKey);
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        using var response = await fixture.Server.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var id = ServerFixture.Id(await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>());
        await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s == "sent", TimeSpan.FromSeconds(30));

        // Each span is exported when it ends; the deliver span ends last, after the outcome is recorded.
        string[] names = ["bridge.accept", "bridge.enqueue", "bridge.deliver", "smtp send"];
        var spans = await fixture.Otlp.WaitForSpansAsync(
            received => names.All(n => received.Any(s => s.TraceId == traceId && s.Name == n)), TimeSpan.FromSeconds(30));
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        OtlpSpan Named(string name) => Assert.Single(trace, s => s.Name == name);

        var http = Assert.Single(trace, s => s.ParentSpanId == callerSpan);
        Assert.Equal(http.SpanId, Named("bridge.accept").ParentSpanId);
        Assert.Equal(Named("bridge.accept").SpanId, Named("bridge.enqueue").ParentSpanId);
        Assert.Equal(Named("bridge.enqueue").SpanId, Named("bridge.deliver").ParentSpanId);
        Assert.Equal(Named("bridge.deliver").SpanId, Named("smtp send").ParentSpanId);
        Assert.Equal(id, Named("bridge.deliver").Attributes["bridge.message.id"]);
        Assert.Equal("default", Named("bridge.deliver").Attributes["bridge.profile"]);
        Assert.Equal("250", Named("bridge.deliver").Attributes["smtp.reply.code"]);
        Assert.Equal("250", Named("smtp send").Attributes["smtp.reply.code"]);
        Assert.DoesNotContain(trace.SelectMany(s => s.Attributes.Values), v => v.Contains("ann@example.org", StringComparison.Ordinal));

        await fixture.Otlp.WaitForAsync("/v1/metrics", "bridge.messages.sent", TimeSpan.FromSeconds(30));
        await fixture.Otlp.WaitForAsync("/v1/logs", id, TimeSpan.FromSeconds(30));
        // Log records written inside the message's spans carry its trace id, so logs and the trace lead to each other.
        Assert.True(fixture.Otlp.Contains("/v1/logs", Convert.FromHexString(traceId)), "No exported log record carries the message's trace id.");
    }
}
