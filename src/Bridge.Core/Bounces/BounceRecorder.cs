using System.Diagnostics.Metrics;
using System.Globalization;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Suppressions;
using Bridge.Core.Telemetry;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Bridge.Core.Bounces;

/// <summary>
/// Handles one DSN, from a bounce mailbox or handed over HTTP: matches it to its message by the original Message-ID
/// (<c>&lt;id&gt;@&lt;from domain&gt;</c>), suppresses each hard-bounced recipient (<see cref="MailboxError"/>) for the
/// message's own key, whoever handed the DSN over, then records a <c>bounced</c> event per failed recipient. A recipient
/// with its event already is not recorded twice, so reading the same DSN again changes nothing. Every outcome is counted.
/// </summary>
public sealed partial class BounceRecorder
{
    private readonly MessageStore store;
    private readonly SuppressionStore suppressions;
    private readonly TimeProvider time;
    private readonly ILogger<BounceRecorder> logger;
    private readonly Counter<long> handled;

    /// <summary>Where a DSN came from: <c>imap</c> (a bounce mailbox) or <c>http</c> (<c>POST /api/v1/bounces</c>).</summary>
    public const string SourceTag = "bridge.bounce.source";

    public BounceRecorder(MessageStore store, SuppressionStore suppressions, BridgeTelemetry telemetry, TimeProvider time, ILogger<BounceRecorder> logger)
    {
        this.store = store;
        this.suppressions = suppressions;
        this.time = time;
        this.logger = logger;
        handled = telemetry.Meter.CreateCounter<long>("bridge.bounces", "{notification}",
            "Delivery status notifications read, by outcome (recorded, already-recorded, not-failed, unmatched, malformed).");
    }

    /// <summary>Storage failures propagate: the DSN was not handled, and is read again later.</summary>
    public async Task<BounceResult> RecordAsync(MimeEntity? dsn, string source, CancellationToken cancellationToken)
    {
        var result = await HandleAsync(DsnParser.Parse(dsn), cancellationToken).ConfigureAwait(false);
        handled.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Outcome, result.Outcome.ToWire()), new KeyValuePair<string, object?>(SourceTag, source));
        if (result.Outcome.IsHandled())
        {
            LogHandled(logger, result.MessageId, source, result.Outcome.ToWire(), result.Detail);
        }
        else
        {
            LogNotHandled(logger, source, result.Outcome.ToWire(), result.Detail);
        }

        return result;
    }

    private async Task<BounceResult> HandleAsync(DsnParse parse, CancellationToken cancellationToken)
    {
        if (parse.Report is not { } report)
        {
            return new BounceResult(BounceOutcome.Malformed, parse.Problem!);
        }

        if (report.OriginalMessageId is not { } originalId)
        {
            return new BounceResult(BounceOutcome.Unmatched, "The DSN returned no original headers, so it names no message.");
        }

        var at = originalId.IndexOf('@', StringComparison.Ordinal);
        var id = at > 0 ? originalId[..at] : originalId;
        if (!MessageId.IsWellFormed(id))
        {
            return new BounceResult(BounceOutcome.Unmatched, $"The original Message-ID <{originalId}> is not one Bridge gave.");
        }

        var failed = report.Recipients.Where(r => r.IsFailed).ToList();
        for (var race = 0; ; race++)
        {
            if (await store.GetTimelineAsync(id, cancellationToken).ConfigureAwait(false) is not { } timeline)
            {
                return new BounceResult(BounceOutcome.Unmatched, $"No message '{id}' is recorded (it may have been removed).", id);
            }

            if (failed.Count == 0)
            {
                return new BounceResult(BounceOutcome.NotFailed,
                    $"The DSN reports {string.Join(", ", report.Recipients.Select(r => r.Action).Distinct())}, not a failure: nothing to record.", id);
            }

            var owner = timeline.Message.Owner;
            // A message recorded without its key (by an older version) has no one to suppress the address for.
            var bounced = failed.Select(r => new BouncedRecipient(r.Address, r.Status, r.Diagnostic,
                owner.Length > 0 && MailboxError.IsMailboxStatus(r.Status) && SuppressedAddress.Normalize(r.Address) is not null)).ToList();
            // Suppressed before the events are written: if the write fails, the DSN is read again and suppresses again (an upsert).
            foreach (var recipient in bounced.Where(r => r.Suppressed))
            {
                await suppressions.AddAsync(owner, recipient.Email, Suppression.FromBounce, recipient.Status, recipient.Diagnostic, id, cancellationToken)
                    .ConfigureAwait(false);
            }

            var known = timeline.Events.Where(e => e.Type == MessageEventType.Bounced).Select(e => e.Recipient).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var now = time.GetUtcNow();
            var events = bounced.Where(r => !known.Contains(r.Email))
                .Select(r => new MessageEvent(MessageEventType.Bounced, now, SmtpReplyOf(r.Diagnostic), Detail(r, report, owner), r.Email))
                .ToList();
            if (events.Count == 0)
            {
                return new BounceResult(BounceOutcome.AlreadyRecorded, "Every failed recipient of this DSN is already recorded bounced.", id, bounced);
            }

            try
            {
                await store.UpdateAsync(timeline.Message.State with { UpdatedAt = now }, events, cancellationToken).ConfigureAwait(false);
                return new BounceResult(BounceOutcome.Recorded, $"Recorded {events.Count} bounced recipient(s) on message '{id}'.", id, bounced);
            }
            catch (MessageConcurrencyException) when (race < 4)
            {
                // Delivery or another DSN changed the message meanwhile: read it again.
            }
        }
    }

    private static string Detail(BouncedRecipient recipient, DsnReport report, string owner) =>
        $"Reported undeliverable{(report.ReportingMta is { } mta ? $" by {mta}" : "")}, status {recipient.Status ?? "unknown"}" +
        (SmtpReplyOf(recipient.Diagnostic) is null && recipient.Diagnostic is { } diagnostic ? $" ({diagnostic})" : "") +
        (recipient.Suppressed ? $"; the address is suppressed for API key '{owner}'." : "; not a mailbox error, so the address is not suppressed.");

    /// <summary>An SMTP diagnostic (<c>550 5.1.1 ...</c>) as a reply; other diagnostics stay in the detail only.</summary>
    private static SmtpReply? SmtpReplyOf(string? diagnostic) =>
        diagnostic is { Length: >= 3 } text && int.TryParse(text.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 200 and < 600
            ? new SmtpReply(code, text[3..].TrimStart(' ', '-'))
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: DSN from {Source} {Outcome}: {Detail}")]
    private static partial void LogHandled(ILogger logger, string? messageId, string source, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A DSN from {Source} was not recorded ({Outcome}): {Detail}")]
    private static partial void LogNotHandled(ILogger logger, string source, string outcome, string detail);
}
