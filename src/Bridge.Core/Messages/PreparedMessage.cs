using Bridge.Core.Events;
using Bridge.Core.Outbox;

namespace Bridge.Core.Messages;

/// <summary>A checked request: the message to accept, or the answer that refuses it.</summary>
internal sealed record SubmissionCheck(ValidatedMessage? Message, SubmissionResult? Refusal);

/// <summary>A message rendered and ready for accept's writes: its envelope (with any payload still to store) and its record.</summary>
internal sealed class PreparedMessage(PreparedEnvelope envelope, MessageRecord record, string owner, int recipientCount) : IAsyncDisposable
{
    public PreparedEnvelope Envelope { get; } = envelope;
    public MessageRecord Record { get; } = record;
    public string Owner { get; } = owner;
    public int RecipientCount { get; } = recipientCount;

    /// <summary>The answer once every write succeeded.</summary>
    public SubmissionResult.Accepted Accepted =>
        new(Record.Id, Record.SendAt is null ? MessageStatus.Queued : MessageStatus.Scheduled);

    public ValueTask DisposeAsync() => Envelope.DisposeAsync();
}
