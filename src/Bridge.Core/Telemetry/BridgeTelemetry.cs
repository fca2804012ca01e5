using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bridge.Core.Telemetry;

/// <summary>
/// Bridge's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>Bridge</c>: the
/// spans that follow a message from its request to the SMTP reply, and the delivery counters and
/// histograms. Attributes carry ids, profile names and reply codes only: never addresses, secrets or bodies.
/// </summary>
public sealed class BridgeTelemetry : IDisposable
{
    public const string Name = "Bridge";

    private readonly Meter meter;
    private readonly Counter<long> accepted;
    private readonly Counter<long> sent;
    private readonly Counter<long> deferred;
    private readonly Counter<long> failed;
    private readonly Counter<long> poisoned;
    private readonly Histogram<double> deliveryDuration;
    private readonly Histogram<double> queueAge;

    public BridgeTelemetry(IMeterFactory meters)
    {
        Source = new ActivitySource(Name);
        meter = meters.Create(Name);
        accepted = meter.CreateCounter<long>("bridge.messages.accepted", "{message}", "Messages accepted and queued.");
        sent = meter.CreateCounter<long>("bridge.messages.sent", "{message}", "Messages the upstream SMTP server accepted.");
        deferred = meter.CreateCounter<long>("bridge.messages.deferred", "{message}", "Attempts that failed for now and were queued again.");
        failed = meter.CreateCounter<long>("bridge.messages.failed", "{message}", "Messages given up on (a permanent failure, or too old to retry).");
        poisoned = meter.CreateCounter<long>("bridge.messages.poisoned", "{message}", "Messages set aside after repeated crashes.");
        deliveryDuration = meter.CreateHistogram<double>("bridge.delivery.duration", "s", "One delivery attempt, from the queue message to the recorded outcome.");
        queueAge = meter.CreateHistogram<double>("bridge.queue.age", "s", "Time from accept to the start of a delivery attempt.");
    }

    public ActivitySource Source { get; }

    /// <summary>The meter, for instruments other features publish on it (the opt-in cost counters).</summary>
    public Meter Meter => meter;

    /// <summary>The span of <c>POST /api/v1/messages</c>'s work: validation, rendering, storing and queueing.</summary>
    public Activity? StartAccept(string messageId)
    {
        var activity = Source.StartActivity("bridge.accept", ActivityKind.Internal);
        activity?.SetTag(TelemetryTags.MessageId, messageId);
        return activity;
    }

    /// <summary>The span around the queue write; its context travels in the envelope as the deliver span's parent.</summary>
    public Activity? StartEnqueue(string messageId, string profile)
    {
        var activity = Source.StartActivity("bridge.enqueue", ActivityKind.Producer);
        activity?.SetTag(TelemetryTags.MessageId, messageId);
        activity?.SetTag(TelemetryTags.Profile, profile);
        return activity;
    }

    /// <summary>
    /// The span of one delivery attempt, continuing the accepting request's trace when <paramref name="traceParent"/>
    /// names it (an envelope queued before tracing has none and starts a trace of its own). The trigger's own span,
    /// if any, is linked.
    /// </summary>
    public Activity? StartDeliver(string messageId, string profile, int attempt, string? traceParent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        var links = Activity.Current is { } trigger && trigger.Context != parent ? new[] { new ActivityLink(trigger.Context) } : null;
        var activity = Source.StartActivity(ActivityKind.Consumer, parent, links: links, name: "bridge.deliver");
        activity?.SetTag(TelemetryTags.MessageId, messageId);
        activity?.SetTag(TelemetryTags.Profile, profile);
        activity?.SetTag(TelemetryTags.Attempt, attempt);
        return activity;
    }

    /// <summary>The span of the SMTP conversation for one message (renting a connection included).</summary>
    public Activity? StartSmtp(string profile, string host, int port)
    {
        var activity = Source.StartActivity("smtp send", ActivityKind.Client);
        activity?.SetTag(TelemetryTags.Profile, profile);
        activity?.SetTag("server.address", host);
        activity?.SetTag("server.port", port);
        return activity;
    }

    public void Accepted(string profile) => accepted.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Profile, profile));

    public void Poisoned(string profile) => poisoned.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Profile, profile));

    /// <summary>Counts an attempt's outcome and records how long it took.</summary>
    public void Delivered(string profile, DeliveryOutcome outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(TelemetryTags.Profile, profile);
        var counter = outcome switch
        {
            DeliveryOutcome.Sent => sent,
            DeliveryOutcome.Deferred => deferred,
            _ => failed,
        };
        counter.Add(1, tag);
        deliveryDuration.Record(duration.TotalSeconds, tag, new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome.ToWire()));
    }

    public void QueueAge(string profile, TimeSpan age) =>
        queueAge.Record(Math.Max(0, age.TotalSeconds), new KeyValuePair<string, object?>(TelemetryTags.Profile, profile));

    public void Dispose()
    {
        Source.Dispose();
        meter.Dispose();
    }
}
