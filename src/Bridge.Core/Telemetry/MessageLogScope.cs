using Microsoft.Extensions.Logging;

namespace Bridge.Core.Telemetry;

/// <summary>
/// Puts the message id in the scope of every log line written while a message is handled, beside the trace
/// and span ids the logger factory adds (<see cref="TelemetryRegistration"/>), so logs join their trace.
/// </summary>
public static class MessageLogScope
{
    private static readonly Func<ILogger, string, IDisposable?> Scope = LoggerMessage.DefineScope<string>("Message {MessageId}");

    public static IDisposable? BeginMessageScope(this ILogger logger, string messageId) => Scope(logger, messageId);
}
