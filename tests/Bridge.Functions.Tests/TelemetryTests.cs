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

    [Fact]
    public async Task Metrics_endpoint_serves_the_meter_as_prometheus_text_and_json()
    {
        var before = await MetricsTextAsync("?format=prometheus");
        var jsonBefore = await MetricsJsonAsync();
        var subject = "metrics-" + Guid.NewGuid();
        var id = await fixture.AcceptAsync(Messages.Valid(subject: subject));
        await fixture.Function<DeliverMessageFunction>().Run(await fixture.TakeQueuedAsync(id), CancellationToken.None);
        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(10));

        var (status, contentType, after) = await MetricsAsync("", accept: "text/plain; version=0.0.4");
        Assert.Equal(200, status);
        Assert.StartsWith("text/plain; version=0.0.4", contentType);
        Assert.Contains("# TYPE bridge_messages_sent_total counter", after);
        Assert.Contains("# TYPE bridge_delivery_duration_seconds histogram", after);
        const string sent = "bridge_messages_sent_total{bridge_profile=\"default\"}";
        const string accepted = "bridge_messages_accepted_total{bridge_profile=\"default\"}";
        const string durations = "bridge_delivery_duration_seconds_count{bridge_outcome=\"sent\",bridge_profile=\"default\"}";
        const string allDurations = "bridge_delivery_duration_seconds_bucket{bridge_outcome=\"sent\",bridge_profile=\"default\",le=\"+Inf\"}";
        Assert.Equal(Value(before, sent) + 1, Value(after, sent));
        Assert.Equal(Value(before, accepted) + 1, Value(after, accepted));
        Assert.Equal(Value(before, durations) + 1, Value(after, durations));
        Assert.Equal(Value(after, durations), Value(after, allDurations));

        // The JSON keeps its shape and reads the same meter: the delivery's two table transactions are in it.
        var jsonAfter = await MetricsJsonAsync();
        var batches = (JsonNode? json) => json!["storageRequests"]!["operations"]!["table.batch"]?.GetValue<long>() ?? 0;
        Assert.True(batches(jsonAfter) >= batches(jsonBefore) + 2);
        Assert.True(jsonAfter["smtpConnectionsOpened"]!.GetValue<long>() >= 1);
        Assert.True(jsonAfter["allStorageRequests"]!["total"]!.GetValue<long>() >= jsonAfter["storageRequests"]!["total"]!.GetValue<long>());
        // The JIT has compiled this process's code by now, and says how long that took (the bench reads it to tell warm-up from steady state).
        Assert.True(jsonAfter["process"]!["jitCompiledMethods"]!.GetValue<long>() > 0);
        Assert.True(jsonAfter["process"]!["jitTimeMs"]!.GetValue<double>() > 0);
        Assert.Contains("bridge_storage_requests_total{bridge_storage_operation=\"table.batch\",bridge_storage_scope=\"bridge\"}", after);
    }

    [Fact]
    public async Task Metrics_endpoint_refuses_an_unknown_format_and_a_caller_without_the_admin_scope()
    {
        var (status, _, body) = await MetricsAsync("?format=xml");
        Assert.Equal(400, status);
        Assert.Contains("must be json or prometheus", body);

        (status, _, _) = await MetricsAsync("?format=prometheus", apiKey: FunctionsFixture.SenderKey);
        Assert.Equal(403, status);
    }

    private async Task<(int Status, string ContentType, string Body)> MetricsAsync(
        string query, string? accept = null, string apiKey = FunctionsFixture.AdminKey)
    {
        var context = fixture.NewContext(apiKey);
        context.Request.Method = "GET";
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query.Length == 0 ? null : query);
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        await fixture.Function<MetricsFunction>().Run(context.Request).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, context.Response.ContentType ?? "", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    private async Task<string> MetricsTextAsync(string query)
    {
        var (status, _, body) = await MetricsAsync(query);
        Assert.Equal(200, status);
        return body;
    }

    private async Task<JsonNode> MetricsJsonAsync() => JsonNode.Parse(await MetricsTextAsync(""))!;

    private static double Value(string exposition, string series) => PrometheusText.Value(exposition, series);

    // Read once the work is done: the exporter appends as spans end.
    private List<Activity> Spans() => [.. fixture.Spans];

    private Activity Span(string name, string messageId) =>
        Assert.Single(Spans(), s => s.OperationName == name && (string?)s.GetTagItem(TelemetryTags.MessageId) == messageId);
}
