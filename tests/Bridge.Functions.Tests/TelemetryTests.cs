using System.Diagnostics;
using System.Text.Json.Nodes;
using Bridge.Core.Telemetry;

namespace Bridge.Functions.Tests;

/// <summary>
/// One message, one trace: accept, enqueue, deliver and the SMTP conversation over Azurite and a real SMTP
/// server, read back through OpenTelemetry's in-memory exporter and a local OTLP/HTTP receiver.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class TelemetryTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task A_message_is_one_trace_from_accept_through_the_queue_to_the_smtp_reply()
    {
        var subject = "trace-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));
        var queued = await fixture.TakeQueuedAsync(id);
        await fixture.Function<DeliverMessageFunction>().Run(queued, CancellationToken.None);
        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));

        var accept = Span("bridge.accept", id);
        var enqueue = Span("bridge.enqueue", id);
        var deliver = Span("bridge.deliver", id);
        var smtp = Assert.Single(Spans(), s => s.OperationName == "smtp send" && s.ParentSpanId == deliver.SpanId);

        // The queue message carries the enqueue span's context, so delivery continues the accepting trace.
        Assert.Equal(enqueue.Id, JsonNode.Parse(queued)!["traceParent"]!.GetValue<string>());
        Assert.All([enqueue, deliver, smtp], s => Assert.Equal(accept.TraceId, s.TraceId));
        Assert.Equal(accept.SpanId, enqueue.ParentSpanId);
        Assert.Equal(enqueue.SpanId, deliver.ParentSpanId);
        Assert.Equal("default", deliver.GetTagItem(TelemetryTags.Profile));
        Assert.Equal("sent", deliver.GetTagItem(TelemetryTags.Outcome));
        Assert.Equal(250, deliver.GetTagItem(TelemetryTags.SmtpReplyCode));
        Assert.Equal(250, smtp.GetTagItem(TelemetryTags.SmtpReplyCode));

        // The Azure SDK's own spans (the queue write, the table writes) join the same trace.
        var trace = Spans().Where(s => s.TraceId == accept.TraceId).ToList();
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && s.ParentSpanId == enqueue.SpanId);

        // Addresses, subjects, bodies and the SMTP password appear in no attribute of the trace.
        var values = trace.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString() ?? "").ToList();
        foreach (var secret in new[] { "ann@example.org", "orders@shop.example", subject, "plain body", FunctionsFixture.SmtpPassword })
        {
            Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_envelope_queued_without_a_traceparent_is_delivered_in_a_trace_of_its_own()
    {
        var subject = "untraced-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));
        var envelope = JsonNode.Parse(await fixture.TakeQueuedAsync(id))!.AsObject();
        Assert.True(envelope.Remove("traceParent"));

        await fixture.Function<DeliverMessageFunction>().Run(envelope.ToJsonString(), CancellationToken.None);

        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));
        var deliver = Span("bridge.deliver", id);
        Assert.Equal(default, deliver.ParentSpanId);
        Assert.NotEqual(Span("bridge.accept", id).TraceId, deliver.TraceId);
        Assert.Equal("sent", deliver.GetTagItem(TelemetryTags.Outcome));
    }

    [Fact]
    public async Task Spans_and_metrics_arrive_at_the_otlp_endpoint()
    {
        var subject = "otlp-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));
        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);
        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));

        fixture.FlushTelemetry();

        Assert.True(fixture.Otlp.Contains("/v1/traces", id), "The message's spans were not exported.");
        Assert.True(fixture.Otlp.Contains("/v1/traces", "bridge.deliver"));
        foreach (var metric in new[] { "bridge.messages.accepted", "bridge.messages.sent", "bridge.delivery.duration", "bridge.queue.age" })
        {
            Assert.True(fixture.Otlp.Contains("/v1/metrics", metric), $"{metric} was not exported.");
        }
    }

    // Read once the work is done: the exporter appends as spans end.
    private List<Activity> Spans() => [.. fixture.Spans];

    private Activity Span(string name, string messageId) =>
        Assert.Single(Spans(), s => s.OperationName == name && (string?)s.GetTagItem(TelemetryTags.MessageId) == messageId);
}
