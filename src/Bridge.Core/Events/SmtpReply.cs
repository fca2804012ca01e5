namespace Bridge.Core.Events;

/// <summary>What the upstream server said: its status code and reply text.</summary>
public sealed record SmtpReply(int Code, string Reply);
