using System.Text.Json.Serialization;
using Bridge.Core.Events;

namespace Bridge.Core.Messages;

/// <summary>The body of <c>GET /api/v1/messages/{id}</c>.</summary>
public sealed record MessageView(
    string Id,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string From,
    IReadOnlyList<string> To,
    string Subject,
    string Profile,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Metadata,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    SmtpReplyView? LastReply,
    IReadOnlyList<EventView> Events)
{
    public static MessageView Of(MessageTimeline timeline)
    {
        var (m, state) = (timeline.Message, timeline.Message.State);
        return new MessageView(m.Id, state.Status.ToWire(), m.CreatedAt, state.UpdatedAt, m.From, m.To, m.Subject, m.Profile, m.Tags, m.Metadata,
            state.Attempts, state.NextAttemptAt, SmtpReplyView.From(state.LastReply),
            timeline.Events.Select(EventView.From).ToList());
    }
}

/// <summary>One timeline entry as the API shows it.</summary>
public sealed record EventView(
    string Type,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Attempt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SmtpReplyView? Smtp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Recipient,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Profile,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? HttpStatus)
{
    public static EventView From(MessageEvent e) =>
        new(e.Type.ToWire(), e.At, e.Attempt, SmtpReplyView.From(e.Smtp), e.Recipient, e.Detail, e.Profile, e.HttpStatus);
}

/// <summary>An SMTP reply as the API shows it.</summary>
public sealed record SmtpReplyView(int Code, string Reply)
{
    public static SmtpReplyView? From(SmtpReply? reply) => reply is null ? null : new(reply.Code, reply.Reply);
}
