namespace Bridge.Core.Telemetry;

/// <summary>The attribute names on Bridge's spans and metrics.</summary>
public static class TelemetryTags
{
    public const string MessageId = "bridge.message.id";
    public const string Profile = "bridge.profile";
    public const string Attempt = "bridge.attempt";
    public const string Outcome = "bridge.outcome";

    /// <summary>The upstream server's reply code (e.g. 250, 421, 550); the reply's text is left out, as it may quote addresses.</summary>
    public const string SmtpReplyCode = "smtp.reply.code";
}
