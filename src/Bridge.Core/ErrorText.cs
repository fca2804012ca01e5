using Azure;

namespace Bridge.Core;

/// <summary>Short, log- and event-safe descriptions of errors: one line, no stack, no payloads.</summary>
public static class ErrorText
{
    public static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }

    /// <summary>"Type: first line"; for storage errors the status and error code, which say more than the text.</summary>
    public static string Describe(Exception error) => error switch
    {
        RequestFailedException e => $"{e.GetType().Name}: {e.Status} {e.ErrorCode}",
        _ => $"{error.GetType().Name}: {FirstLine(error.Message)}",
    };
}
